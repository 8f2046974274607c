import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DevIssuer } from '../apps/registry/src/auth/dev-issuer.js';
import { loadConfig } from '../apps/registry/src/config/app-config.js';
import { type BenchDatabase, createBenchDatabase, RefusedDatabaseError } from './log/bench-database.js';
import { checkSmokeProblems, run, runBench, UsageError } from './log/harness.js';
import { machine } from './log/report.js';
import { round, type Queryable } from './log/stats.js';
import { runCli } from './log/verification.js';
import { drain, integratedSize } from './log/writes.js';
import { benchHttpWrites, type HttpWriteResults } from './service/http-writes.js';
import { type BenchAgency, loadPublishedTools } from './service/load-tools.js';
import { benchProofs, type ProofResults } from './service/proofs.js';
import { benchReads, type ReadResults } from './service/reads.js';
import { type BenchResults, goals, writeReport } from './service/report.js';
import { Services } from './service/services.js';

const USAGE = `npm run bench -- [--smoke] [--tools N,N,N] [--entries N,N,N] [--seconds S] [--rounds R] [--writers W] [--out FILE] [--report FILE]

Measures the service side by side on the PostgreSQL server of DATABASE_URL (its database name
must contain "test" or "bench"), in databases of its own that it drops afterwards: public reads
against a trivial endpoint, audited writes against plain ones, proofs and verification at scale,
resident memory. See bench/README.md.

  --smoke     seconds of everything on tiny sizes; checks the harness, judges no goal
  --tools     published tools for the reads and writes, one scale after another (default 1000,10000,100000)
  --entries   log entries for the proofs, one scale after another (default 100000,1000000)
  --seconds   length of each measured run (default 5)
  --rounds    rounds of side-by-side runs (default 3)
  --writers   concurrent HTTP writers (default 16)
  --out       raw figures (default bench/results/bench.json; smoke: dist/bench/results/bench.smoke.json)
  --report    the report (default bench/RESULTS.md; smoke: dist/bench/RESULTS.smoke.md)`;

const OPTIONS = {
  smoke: { type: 'boolean' },
  tools: { type: 'string' },
  entries: { type: 'string' },
  seconds: { type: 'string' },
  rounds: { type: 'string' },
  writers: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;


function numbers(name: string, raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new UsageError(`--${name} takes positive whole numbers separated by commas, got ${raw}`);
  return values.sort((a, b) => a - b);
}

const COUNTRIES = ['CR', 'ES', 'BR', 'PT', 'FR', 'BE', 'MX', 'CO', 'JM', 'NL'];
const KINDS = ['police', 'prosecution', 'judiciary', 'ministry', 'border'];

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (args.help) return void console.log(USAGE);
  const smoke = args.smoke === true;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new UsageError('DATABASE_URL must name a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test');
  const seconds = Number(args.seconds ?? (smoke ? 1 : 5));
  const rounds = Number(args.rounds ?? (smoke ? 1 : 3));
  const writers = Number(args.writers ?? (smoke ? 4 : 16));
  if (![seconds, rounds, writers].every((v) => Number.isFinite(v) && v > 0)) throw new UsageError('--seconds, --rounds and --writers must be positive numbers');
  const toolScales = numbers('tools', args.tools, smoke ? [200] : [1_000, 10_000, 100_000]);
  const logScales = numbers('entries', args.entries, smoke ? [3_000] : [100_000, 1_000_000]);
  const out = resolve(args.out ?? (smoke ? 'dist/bench/results/bench.smoke.json' : 'bench/results/bench.json'));
  const reportFile = resolve(args.report ?? (smoke ? 'dist/bench/RESULTS.smoke.md' : 'bench/RESULTS.md'));
  const progress = (line: string) => console.error(`[bench] ${line}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'custodia-bench-'));
  const databases: BenchDatabase[] = [];
  const services: Services[] = [];
  const clients: pg.Client[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const s of services) await s.stop().catch((error: unknown) => progress(`stopping a service: ${(error as Error).message}`));
      for (const c of clients) await c.end().catch(() => undefined);
      for (const d of databases) await d.drop().catch((error: unknown) => progress(`dropping ${d.name}: ${(error as Error).message}`));
      if (!process.env.BENCH_KEEP_LOGS) rmSync(dataDir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      run.interrupted = true;
      progress(`${signal}: stopping the services and dropping the bench databases`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    const issuer = await DevIssuer.loadOrCreate(dataDir);
    const open = async (name: string) => {
      const database = await createBenchDatabase(serverUrl);
      databases.push(database);
      const client = new pg.Client({ connectionString: database.url, application_name: `custodia-bench-${name}` });
      await client.connect();
      clients.push(client);
      const db: Queryable = { query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T };
      // Every service of the run has DATA_DIR = dataDir: one development issuer, one set of tokens.
      const set = new Services(database.url, dataDir, name);
      services.push(set);
      return { database, db, services: set };
    };
    const registry = await open('registry');
    progress(`database ${registry.database.name} on PostgreSQL ${registry.database.serverVersion}; service logs in ${dataDir}`);
    const info = machine(registry.database.serverVersion, registry.database.settings);
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: registry.database.url });
    const token = (roles: Array<'admin' | 'agency_editor' | 'agency_approver' | 'oversight'>, agencyId?: string, sub?: string) =>
      issuer.mint(config, { roles, agencyId, sub, ttlSeconds: 24 * 3600 });

    let service = await registry.services.use('audited');
    // The plain baseline's "log" (plain-log-main.ts); its ids stay clear of log_queue's, which
    // tool_publications.queue_id (unique) also holds.
    await registry.db.query(`CREATE TABLE bench_plain_log (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000000000000) PRIMARY KEY,
      entry bytea NOT NULL, subject_type text NOT NULL, subject_id uuid NOT NULL, public boolean NOT NULL)`);
    const admin = await token(['admin']);
    const agencies: BenchAgency[] = [];
    for (const country of COUNTRIES) {
      for (const kind of KINDS) agencies.push(await createAgency(service.url, admin, `Bench ${kind} ${country} (fictional)`, country, kind));
    }
    const writerAgency = await createAgency(service.url, admin, 'Bench writers (fictional)', 'CR', 'police');
    const tokens = {
      editor: await token(['agency_editor'], writerAgency.id, 'bench-editor'),
      approver: await token(['agency_approver'], writerAgency.id, 'bench-approver'),
    };
    const oversight = await token(['oversight']);
    const [{ verifier_key: verifierKey }] = await registry.db.query<Array<{ verifier_key: string }>>('SELECT verifier_key FROM log_keys');

    const reads: ReadResults[] = [];
    const writes: Array<HttpWriteResults & { tools: number }> = [];
    let loaded = 0;
    for (const tools of toolScales) {
      progress(`${tools} published tools: loading ${tools - loaded} more`);
      await loadPublishedTools(registry.database.url, agencies, tools - loaded, config.logOrigin, progress);
      loaded = tools;
      await drain(registry.db, 600_000);
      await registry.db.query('VACUUM ANALYZE');
      // Memory at rest and under reads is that of a service started on this registry.
      service = await registry.services.restart('audited');
      const ids = await registry.db.query<Array<{ id: string }>>(
        'SELECT id FROM tools WHERE published_revision IS NOT NULL AND NOT non_public ORDER BY random() LIMIT 500',
      );
      progress(`${tools} tools: public reads`);
      reads.push(
        await benchReads(
          service,
          { tools, toolIds: ids.map((r) => r.id), countries: COUNTRIES },
          {
            sweep: smoke ? [1, 4] : [1, 2, 4, 8, 16, 32, 64],
            sweepSeconds: smoke ? 1 : 3,
            rounds,
            seconds,
            uncachedService: () => registry.services.restart('audited', { PUBLIC_CACHE_MB: '0' }),
          },
          progress,
        ),
      );
      service = await registry.services.restart('audited');
      if (tools === toolScales[0]) {
        progress(`${tools} tools: the verifier CLI checks the log and every public record of the bulk-loaded registry`);
        await runCli({ url: service.url, verifierKey, oversightToken: oversight }, await integratedSize(registry.db));
      }
      progress(`${tools} tools: audited writes against plain ones, through HTTP`);
      const written = await benchHttpWrites(
        {
          databaseUrl: registry.database.url,
          agency: writerAgency,
          tokens,
          service: (mode) => registry.services.use(mode),
          integratedSize: () => integratedSize(registry.db),
          drain: () => drain(registry.db, 600_000),
        },
        { writers, rounds, seconds, pollMs: 10 },
        progress,
      );
      writes.push({ ...written, tools });
    }
    await registry.services.stop();

    const logDb = await open('log');
      await logDb.services.use('audited');
    const [{ verifier_key: logKey }] = await logDb.db.query<Array<{ verifier_key: string }>>('SELECT verifier_key FROM log_keys');
    const proofs: ProofResults[] = [];
    for (const entries of logScales) {
      progress(`a log of ${entries} entries`);
      proofs.push(
        await benchProofs(
          {
            db: logDb.db,
            // The instance that integrates this scale's entries: the fresh one of the scale before.
            service: await logDb.services.use('audited'),
            restart: () => logDb.services.restart('audited'),
            origin: config.logOrigin,
            verifierKey: logKey,
            oversightToken: oversight,
          },
          entries,
          { requests: smoke ? 100 : 2000, verifyRuns: smoke ? 1 : 3, rawRuns: smoke ? 1 : 5, inMemoryUpTo: 2_000_000 },
          progress,
        ),
      );
    }
    info.loadAverageAtEnd = loadavg().map((l) => round(l, 2));

    const results: BenchResults = {
      kind: smoke ? 'smoke' : 'full',
      date: new Date().toISOString(),
      machine: info,
      options: { toolScales, logScales, seconds, rounds, writers },
      goals: [],
      reads,
      writes,
      proofs,
    };
    results.goals = goals(results);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    const text = writeReport(reportFile, results, out);
    console.log(text);
    if (smoke) checkSmoke(results);
  } finally {
    await cleanUp();
  }
}

async function createAgency(base: string, token: string, name: string, country: string, kind: string): Promise<BenchAgency> {
  const response = await fetch(`${base}/api/v1/agencies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, country, kind }),
  });
  if (response.status !== 201) throw new Error(`creating agency ${name}: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return { id, country, kind };
}

/** Smoke: every part measured something; timings are not judged. */
function checkSmoke(results: BenchResults): void {
  const problems: string[] = [];
  if (results.reads.some((r) => r.rounds.some((x) => x.list.requests === 0 || x.toolPage.requests === 0))) problems.push('a read run served nothing');
  if (results.writes.some((w) => w.runs.some((r) => r.operations === 0))) problems.push('a write run wrote nothing');
  if (results.writes.some((w) => w.integration.entries === 0)) problems.push('no integration latency was measured');
  if (results.proofs.some((p) => p.cli.exitCode !== 0)) problems.push('the verifier CLI failed');
  if (!results.goals.every((g) => Number.isFinite(g.value))) problems.push('a goal figure is not a number');
  checkSmokeProblems(problems);
}

runBench('bench', USAGE, main, (error) => error instanceof RefusedDatabaseError);
