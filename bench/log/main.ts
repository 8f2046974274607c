import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/registry/src/app.js';
import { DevIssuer } from '../../apps/registry/src/auth/dev-issuer.js';
import { loadConfig } from '../../apps/registry/src/config/app-config.js';
import { Integrator } from '../../apps/registry/src/log/integrator.service.js';
import { LogStore } from '../../apps/registry/src/log/log-store.js';
import { LogWriter } from '../../apps/registry/src/log/log-writer.service.js';
import { type BenchDatabase, createBenchDatabase, RefusedDatabaseError } from './bench-database.js';
import { checkSmokeProblems, run, runBench, UsageError } from './harness.js';
import { goals, machine, type Results, table } from './report.js';
import { round } from './stats.js';
import { benchVerification } from './verification.js';
import { benchWrites } from './writes.js';

const USAGE = `npm run bench:log -- [--smoke] [--entries N] [--seconds S] [--rounds R] [--writers W] [--poll-ms P] [--out FILE]

Benchmarks the audit log on the PostgreSQL server of DATABASE_URL (its database name must contain
"test" or "bench"), in a database of its own that it drops afterwards. See bench/README.md.

  --smoke     a second or two of everything on tiny sizes; checks the harness, judges no goal
  --entries   entries in the log that is verified (default 100000)
  --seconds   length of each measured run of one mode (default 5)
  --rounds    rounds of plain and audited runs (default 3)
  --writers   concurrent writers (default 16)
  --poll-ms   interval of the integration poller (default 10)
  --out       where to write the JSON results (default bench/results/log.json; smoke: dist/bench/results/log.smoke.json)`;

const OPTIONS = {
  smoke: { type: 'boolean' },
  entries: { type: 'string' },
  seconds: { type: 'string' },
  rounds: { type: 'string' },
  writers: { type: 'string' },
  'poll-ms': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;


function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got ${raw}`);
  return value;
}

function parse() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<void> {
  const args = parse();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const smoke = args.smoke === true;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new UsageError('DATABASE_URL must name a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test');
  const verify = {
    entries: Math.floor(positive('entries', args.entries, smoke ? 600 : 100_000)),
    verifyRuns: smoke ? 1 : 3,
    rawRuns: smoke ? 1 : 5,
  };
  const write = {
    writers: Math.floor(positive('writers', args.writers, 16)),
    rounds: Math.floor(positive('rounds', args.rounds, smoke ? 1 : 3)),
    seconds: positive('seconds', args.seconds, smoke ? 1 : 5),
    warmupSeconds: smoke ? 0.3 : 2,
    pollMs: positive('poll-ms', args['poll-ms'], 10),
  };
  const out = resolve(args.out ?? (smoke ? 'dist/bench/results/log.smoke.json' : 'bench/results/log.json'));
  const progress = (line: string) => console.error(`[bench:log] ${line}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'custodia-bench-'));
  let database: BenchDatabase | undefined;
  let app: NestExpressApplication | undefined;
  // Once only, whether the run ends, fails or is interrupted; whoever comes second waits for it.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await app?.close().catch((error: unknown) => progress(`closing the app: ${(error as Error).message}`));
      await database?.drop().catch((error: unknown) => progress(`dropping ${database?.name}: ${(error as Error).message}`));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      run.interrupted = true;
      progress(`${signal}: dropping the bench database`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    database = await createBenchDatabase(serverUrl);
    progress(`database ${database.name} on PostgreSQL ${database.serverVersion}`);
    const info = machine(database.serverVersion, database.settings);
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' });
    app = await createApp({ config, database: { url: database.url, embedded: false } });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const issuer = await DevIssuer.loadOrCreate(dataDir);
    const dataSource = app.get(DataSource);
    const integrator = app.get(Integrator);
    await waitForLeader(integrator);
    const [{ verifier_key: verifierKey }] = await dataSource.query<Array<{ verifier_key: string }>>('SELECT verifier_key FROM log_keys');

    const verification = await benchVerification(
      {
        dataSource,
        store: app.get(LogStore),
        wakeIntegrator: () => integrator.wake(),
        origin: config.logOrigin,
        verifierKey,
        url,
        oversightToken: await issuer.mint(config, { roles: ['oversight'], ttlSeconds: 3600 }),
      },
      verify,
      progress,
    );
    // The bulk load's dead tuples and dirty pages must not land in the middle of the write rounds.
    await dataSource.query('VACUUM ANALYZE');
    await dataSource.query('CHECKPOINT').catch(() => progress('CHECKPOINT refused (not a superuser); continuing'));

    const writes = await benchWrites({ dataSource, writer: app.get(LogWriter), databaseUrl: database.url }, write, progress);
    info.loadAverageAtEnd = loadavg().map((l) => round(l, 2));

    const results: Results = {
      kind: smoke ? 'smoke' : 'full',
      date: new Date().toISOString(),
      machine: info,
      goals: goals(writes, verification),
      verification,
      writes,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(table(results));
    console.log(`\nRaw figures: ${out}`);
    if (smoke) checkSmoke(results, verify.entries);
  } finally {
    await cleanUp();
  }
}

/** The app's integrator holds the lock and has written the log's first checkpoint. */
async function waitForLeader(integrator: Integrator): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await integrator.liveness();
    if (status.alive && status.role === 'leader') return;
    if (Date.now() > deadline) throw new Error(`the integrator did not start: ${JSON.stringify(status)}`);
    await sleep(20);
  }
}

/** Smoke: the harness measured something in every part; timings are not judged. */
function checkSmoke(results: Results, entries: number): void {
  const { writes, verification } = results;
  const problems: string[] = [];
  if (writes.runs.some((run) => run.transactions === 0)) problems.push('a write run committed nothing');
  if (writes.latency.entries === 0) problems.push('no integration latency was measured');
  if (verification.treeSize < entries) problems.push(`the verified log has ${verification.treeSize} entries, not ${entries}`);
  if (verification.cli.exitCode !== 0) problems.push('the verifier CLI failed');
  if (!results.goals.every((goal) => Number.isFinite(goal.value))) problems.push('a goal figure is not a number');
  checkSmokeProblems(problems);
}

runBench('bench:log', USAGE, main, (error) => error instanceof RefusedDatabaseError);
