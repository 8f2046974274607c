import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { clock } from './stats.js';

/**
 * A worker thread that notices entries becoming integrated: it polls log_entries every
 * `intervalMs` on a connection of its own, with an event loop of its own so that the writers
 * and the integrator in the main thread do not delay it.
 */
export interface PollerOptions {
  url: string;
  intervalMs: number;
  /** Entries below this index are ignored (integrated before the measurement). */
  fromIndex: number;
}

/** When an entry was first seen integrated: not before `after` and not after `seenAt` (ms, clock()). */
export interface Sighting {
  queueId: string;
  after: number;
  seenAt: number;
}

export type PollerRequest = { kind: 'flush' } | { kind: 'stop' };
export type PollerReply = { kind: 'ready' } | { kind: 'flushed'; sightings: Sighting[]; pollMs: number[] } | { kind: 'error'; message: string };

const PAGE = 10_000;

async function run(options: PollerOptions): Promise<void> {
  const port = parentPort!;
  const client = new pg.Client({ connectionString: options.url, application_name: 'custodia-bench-poller' });
  await client.connect();
  let stopping = false;
  let last = options.fromIndex - 1;
  let previousStart = clock();
  let sightings: Sighting[] = [];
  let pollMs: number[] = [];
  port.on('message', (request: PollerRequest) => {
    if (request.kind === 'stop') stopping = true;
    port.postMessage({ kind: 'flushed', sightings, pollMs } satisfies PollerReply);
    sightings = [];
    pollMs = [];
  });
  port.postMessage({ kind: 'ready' } satisfies PollerReply);
  while (!stopping) {
    const start = clock();
    const { rows } = await client.query<{ idx: string; queue_id: string }>(
      'SELECT idx, queue_id FROM log_entries WHERE idx > $1 ORDER BY idx LIMIT $2',
      [last, PAGE],
    );
    const seenAt = clock();
    pollMs.push(seenAt - start);
    // The integrator's commit came after the previous poll's snapshot and before this one's.
    for (const row of rows) sightings.push({ queueId: row.queue_id, after: previousStart, seenAt });
    if (rows.length > 0) last = Number(rows[rows.length - 1]!.idx);
    previousStart = start;
    if (rows.length < PAGE) await sleep(Math.max(0, options.intervalMs - (clock() - start)));
  }
  await client.end();
}

run(workerData as PollerOptions).catch((error: unknown) => {
  parentPort!.postMessage({ kind: 'error', message: (error as Error).message } satisfies PollerReply);
});
