import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { LogEntryInput } from '../../apps/registry/src/log/log-entry.js';
import type { LogWriter } from '../../apps/registry/src/log/log-writer.service.js';
import { machineTimes, postgresCpuMicros } from './cpu-time.js';
import type { Sighting } from './integration-poller.js';
import { IntegrationPoller } from './poller-client.js';
import { clock, median, percentile, type Queryable } from './stats.js';

export type Mode = 'plain' | 'audited';

export interface WriteOptions {
  writers: number;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  pollMs: number;
}

export interface ModeRun {
  mode: Mode;
  round: number;
  transactions: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process (app, integrator, writers) per transaction, in µs. */
  processCpuMicrosPerTx: number;
  /** CPU time of the local PostgreSQL server's processes per transaction, in µs (null: not local). */
  postgresCpuMicrosPerTx: number | null;
  /** Share of the machine's CPU time that was busy during the run (all processes), 0..1. */
  machineBusy: number;
  /** Checkpoints the integrator wrote during the run (one per batch that integrated entries). */
  integratorBatches: number;
}

export interface LatencyFigures {
  entries: number;
  /** Commit to the poll that first saw the entry integrated (an upper bound), ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Commit to the poll before that one (a lower bound), ms. */
  lowerBoundP50: number;
  lowerBoundP99: number;
  /** Entries seen integrated before their writer had recorded its commit (commit time is client-side). */
  seenBeforeCommitRecorded: number;
}

export interface WriteResults {
  options: WriteOptions;
  poolMax: number;
  entryBytes: { min: number; median: number; max: number };
  runs: ModeRun[];
  /** Audited / plain writes per second, per round (the two modes of a round ran back to back). */
  ratios: number[];
  medianRatio: number;
  latency: LatencyFigures;
  latencyByRound: LatencyFigures[];
  /** After each measured audited run: from the last commit until everything queued was integrated, ms. */
  drainMs: number[];
  poll: { intervalMs: number; roundTripP50: number; roundTripP99: number; resolutionMs: number };
}

const BENCH_TABLE = `
  CREATE TABLE bench_items (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    country char(2) NOT NULL,
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`;

/** A registry write without the log: the business row of the bench table. */
async function insertItem(manager: EntityManager, id: string): Promise<void> {
  await manager.query('INSERT INTO bench_items (id, name, country, kind) VALUES ($1, $2, $3, $4)', [id, `Item ${id.slice(0, 8)}`, 'CR', 'police']);
}

/** What a service would log for that write: shaped like an agency's creation by an agency editor. */
export function entryInput(id: string, actor: { id: string; agencyId: string }): LogEntryInput {
  const content = { id, name: `Item ${id.slice(0, 8)}`, country: 'CR', kind: 'police' };
  return {
    actor: { id: actor.id, roles: ['agency_editor'], agencyId: actor.agencyId },
    action: 'bench.item.create',
    subject: { type: 'bench_item', id },
    content,
    publicContent: content,
    public: true,
    requestId: randomUUID(),
  };
}

/**
 * Plain and audited writes, interleaved round by round at the same concurrency through the app's
 * own pool, with the app's integrator running; integration latency of the audited ones.
 */
export async function benchWrites(
  context: { dataSource: DataSource; writer: LogWriter; databaseUrl: string },
  options: WriteOptions,
  progress: (line: string) => void,
): Promise<WriteResults> {
  const { dataSource, writer } = context;
  await dataSource.query(BENCH_TABLE);
  const actors = Array.from({ length: 50 }, () => ({ id: randomUUID(), agencyId: randomUUID() }));
  const treeSize = await integratedSize(dataSource);
  const poller = await IntegrationPoller.start({ url: context.databaseUrl, intervalMs: options.pollMs, fromIndex: treeSize });
  const sightings = new Map<string, Sighting>();
  const pollMs: number[] = [];
  const collect = async () => {
    const flushed = await poller.flush();
    for (const s of flushed.sightings) sightings.set(s.queueId, s);
    pollMs.push(...flushed.pollMs);
  };

  const runs: ModeRun[] = [];
  const drainMs: number[] = [];
  const latencyByRound: LatencyFigures[] = [];
  const allLatencies: Array<{ upper: number; lower: number }> = [];
  let seenEarly = 0;

  const runMode = async (mode: Mode, seconds: number, round: number) => {
    const commits = new Map<string, number>();
    const cpuBefore = process.cpuUsage();
    const postgresBefore = postgresCpuMicros();
    const machineBefore = machineTimes();
    const batchesBefore = await checkpointCount(dataSource);
    const start = clock();
    const deadline = start + seconds * 1000;
    let transactions = 0;
    const worker = async () => {
      while (clock() < deadline) {
        const id = randomUUID();
        const actor = actors[transactions % actors.length]!;
        const queueId = await dataSource.transaction(async (manager) => {
          await insertItem(manager, id);
          return mode === 'audited' ? writer.append(manager, entryInput(id, actor)) : undefined;
        });
        const committedAt = clock();
        transactions++;
        if (queueId !== undefined) commits.set(queueId, committedAt);
      }
    };
    await Promise.all(Array.from({ length: options.writers }, worker));
    const elapsed = (clock() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresAfter = postgresCpuMicros();
    const machine = machineTimes();
    const lastCommit = clock();
    if (mode === 'audited') {
      await drain(dataSource);
      if (round > 0) drainMs.push(clock() - lastCommit);
    }
    const run: ModeRun = {
      mode,
      round,
      transactions,
      seconds: elapsed,
      perSecond: transactions / elapsed,
      processCpuMicrosPerTx: (cpu.user + cpu.system) / transactions,
      postgresCpuMicrosPerTx:
        postgresBefore === undefined || postgresAfter === undefined ? null : (postgresAfter - postgresBefore) / transactions,
      machineBusy: 1 - (machine.idle - machineBefore.idle) / (machine.total - machineBefore.total),
      integratorBatches: (await checkpointCount(dataSource)) - batchesBefore,
    };
    // Everything committed is integrated now; wait for the poller to have seen it too.
    const waitUntil = clock() + 10_000;
    await collect();
    while ([...commits.keys()].some((id) => !sightings.has(id))) {
      if (clock() > waitUntil) throw new Error('the poller did not see every integrated entry within 10 s');
      await sleep(options.pollMs);
      await collect();
    }
    return { run, commits };
  };

  progress(`warm-up: ${options.warmupSeconds} s plain, ${options.warmupSeconds} s audited`);
  await runMode('plain', options.warmupSeconds, 0);
  await runMode('audited', options.warmupSeconds, 0);

  for (let round = 1; round <= options.rounds; round++) {
    const order: Mode[] = round % 2 === 1 ? ['plain', 'audited'] : ['audited', 'plain'];
    for (const mode of order) {
      const { run, commits } = await runMode(mode, options.seconds, round);
      runs.push(run);
      progress(`round ${round} ${mode.padEnd(7)} ${run.perSecond.toFixed(0).padStart(6)} tx/s  (${run.transactions} in ${run.seconds.toFixed(2)} s)`);
      if (mode === 'audited') {
        const latencies = [...commits].map(([id, committedAt]) => {
          const seen = sightings.get(id)!;
          return { upper: seen.seenAt - committedAt, lower: Math.max(0, seen.after - committedAt) };
        });
        seenEarly += latencies.filter((l) => l.upper < 0).length;
        allLatencies.push(...latencies);
        latencyByRound.push(latencyFigures(latencies, latencies.filter((l) => l.upper < 0).length));
      }
    }
  }
  await poller.stop();

  const ratios = Array.from({ length: options.rounds }, (_, i) => {
    const of = (mode: Mode) => runs.find((r) => r.round === i + 1 && r.mode === mode)!.perSecond;
    return of('audited') / of('plain');
  });
  const sizes = await dataSource.query<Array<{ min: number; median: number; max: number }>>(
    `SELECT min(length(entry)) AS min, percentile_disc(0.5) WITHIN GROUP (ORDER BY length(entry)) AS median, max(length(entry)) AS max
       FROM log_queue WHERE subject_type = 'bench_item'`,
  );
  const roundTripP50 = median(pollMs);
  return {
    options,
    poolMax: (dataSource.options.extra as { max?: number } | undefined)?.max ?? 10,
    entryBytes: sizes[0]!,
    runs,
    ratios,
    medianRatio: median(ratios),
    latency: latencyFigures(allLatencies, seenEarly),
    latencyByRound,
    drainMs,
    poll: {
      intervalMs: options.pollMs,
      roundTripP50,
      roundTripP99: percentile(pollMs, 99),
      resolutionMs: options.pollMs + roundTripP50,
    },
  };
}

function latencyFigures(latencies: Array<{ upper: number; lower: number }>, seenEarly: number): LatencyFigures {
  const upper = latencies.map((l) => l.upper);
  const lower = latencies.map((l) => l.lower);
  return {
    entries: latencies.length,
    p50: percentile(upper, 50),
    p90: percentile(upper, 90),
    p99: percentile(upper, 99),
    max: Math.max(...upper),
    lowerBoundP50: percentile(lower, 50),
    lowerBoundP99: percentile(lower, 99),
    seenBeforeCommitRecorded: seenEarly,
  };
}

export async function integratedSize(dataSource: Queryable): Promise<number> {
  const [row] = await dataSource.query<Array<{ size: string | null }>>('SELECT max(tree_size) AS size FROM log_checkpoints');
  return Number(row?.size ?? 0);
}

async function checkpointCount(dataSource: Queryable): Promise<number> {
  const [row] = await dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM log_checkpoints');
  return Number(row!.n);
}

/** Waits until every queued entry is in the tree. */
export async function drain(dataSource: Queryable, timeoutMs = 120_000): Promise<void> {
  const [{ queued }] = await dataSource.query<Array<{ queued: string }>>('SELECT count(*) AS queued FROM log_queue');
  const deadline = clock() + timeoutMs;
  while ((await integratedSize(dataSource)) < Number(queued)) {
    if (clock() > deadline) throw new Error(`the integrator did not integrate ${queued} entries within ${timeoutMs / 1000} s`);
    await sleep(5);
  }
}
