import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrationPoller } from '../log/poller-client.js';
import type { Sighting } from '../log/integration-poller.js';
import { clock, median, percentile } from '../log/stats.js';
import { type BenchAgency, publishableDeclaration } from './load-tools.js';
import type { LogMode, ServiceProcess } from './service-process.js';

export interface HttpWriteOptions {
  writers: number;
  rounds: number;
  seconds: number;
  pollMs: number;
}

export type Workload = 'draft' | 'publish';

export interface WriteRun {
  workload: Workload;
  mode: LogMode;
  round: number;
  seconds: number;
  /** Draft edits, or publications (each one submit, publish and the next draft: 3 writes). */
  operations: number;
  perSecond: number;
  requests: number;
  /** Response time of each HTTP write, ms. */
  p50: number;
  p99: number;
}

export interface HttpWriteResults {
  options: HttpWriteOptions;
  runs: WriteRun[];
  /** Audited ÷ plain operations per second, per round, for each workload. */
  ratios: Record<Workload, number[]>;
  medianRatio: Record<Workload, number>;
  /** From the moment a write's response arrived to the poll that first saw its entry integrated. */
  integration: { entries: number; p50: number; p90: number; p99: number; max: number; lowerBoundP99: number; resolutionMs: number };
}

/** One agency editor's tool, written by one concurrent writer, and where it is in its workflow. */
interface Lane {
  toolId: string;
  etag: string;
  editor: string;
  approver: string;
  revision: number;
}

export interface WriteContext {
  databaseUrl: string;
  agency: BenchAgency;
  tokens: { editor: string; approver: string };
  /** Starts the service in a mode (stopping any other), and gives it back. */
  service: (mode: LogMode) => Promise<ServiceProcess>;
  integratedSize: () => Promise<number>;
  drain: () => Promise<void>;
}

/**
 * Audited writes through HTTP, as agencies make them, against the same writes on the service
 * whose log append is a plain insert (plain-log-main.ts): draft edits (PUT .../draft with
 * If-Match) and publications (submit, publish by another person, open the next draft), each
 * writer on a tool of its own. Rounds alternate which mode goes first.
 */
export async function benchHttpWrites(context: WriteContext, options: HttpWriteOptions, progress: (line: string) => void): Promise<HttpWriteResults> {
  let service = await context.service('audited');
  const lanes: Lane[] = [];
  for (let w = 0; w < options.writers; w++) {
    const editor = context.tokens.editor;
    const response = await send(service.url, 'POST', '/api/v1/tools', editor, { content: publishableDeclaration(1_000_000 + w, context.agency) });
    const body = (await response.json()) as { id: string };
    lanes.push({ toolId: body.id, etag: response.headers.get('etag')!, editor, approver: context.tokens.approver, revision: 1 });
  }
  await context.drain();
  const poller = await IntegrationPoller.start({ url: context.databaseUrl, intervalMs: options.pollMs, fromIndex: await context.integratedSize() });
  const sightings = new Map<string, Sighting>();
  const acknowledged: Array<{ queueId: string; at: number }> = [];
  const runs: WriteRun[] = [];
  const pollMs: number[] = [];

  const runWorkload = async (workload: Workload, mode: LogMode, round: number): Promise<WriteRun> => {
    const latencies: number[] = [];
    let operations = 0;
    const write = async (method: 'PUT' | 'POST', lane: Lane, path: string, token: string, body: unknown) => {
      const start = clock();
      const response = await send(service.url, method, path, token, body, lane.etag);
      const at = clock();
      await response.arrayBuffer();
      latencies.push(at - start);
      lane.etag = response.headers.get('etag')!;
      if (mode === 'audited') acknowledged.push({ queueId: response.headers.get('x-log-entry')!, at });
    };
    const edit = (lane: Lane) =>
      write('PUT', lane, `/api/v1/tools/${lane.toolId}/draft`, lane.editor, { content: publishableDeclaration(2_000_000 + lane.revision++, context.agency) });
    const started = clock();
    const until = started + options.seconds * 1000;
    await Promise.all(
      lanes.map(async (lane) => {
        while (clock() < until) {
          if (workload === 'draft') {
            await edit(lane);
          } else {
            await write('POST', lane, `/api/v1/tools/${lane.toolId}/submit`, lane.editor, undefined);
            await write('POST', lane, `/api/v1/tools/${lane.toolId}/publish`, lane.approver, undefined);
            await edit(lane);
          }
          operations++;
        }
      }),
    );
    const seconds = (clock() - started) / 1000;
    return { workload, mode, round, seconds, operations, perSecond: operations / seconds, requests: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  };

  for (let round = 1; round <= options.rounds; round++) {
    const order: LogMode[] = round % 2 === 1 ? ['plain', 'audited'] : ['audited', 'plain'];
    for (const mode of order) {
      service = await context.service(mode);
      for (const workload of ['draft', 'publish'] as const) {
        const run = await runWorkload(workload, mode, round);
        runs.push(run);
        progress(`  round ${round} ${mode.padEnd(7)} ${workload.padEnd(7)} ${run.perSecond.toFixed(1).padStart(7)}/s  (${run.operations} in ${run.seconds.toFixed(1)} s, p99 ${run.p99.toFixed(1)} ms a write)`);
        if (mode === 'audited') await context.drain();
        const flushed = await poller.flush();
        pollMs.push(...flushed.pollMs);
        for (const s of flushed.sightings) sightings.set(s.queueId, s);
      }
    }
  }
  await sleep(options.pollMs * 3);
  const last = await poller.stop();
  pollMs.push(...last.pollMs);
  for (const s of last.sightings) sightings.set(s.queueId, s);

  const latencies = acknowledged.map(({ queueId, at }) => {
    const seen = sightings.get(queueId);
    if (!seen) throw new Error(`entry of queue id ${queueId} was acknowledged but never seen integrated`);
    return { upper: seen.seenAt - at, lower: Math.max(0, seen.after - at) };
  });
  const upper = latencies.map((l) => l.upper);
  const ratios = { draft: [] as number[], publish: [] as number[] };
  for (let round = 1; round <= options.rounds; round++) {
    for (const workload of ['draft', 'publish'] as const) {
      const of = (mode: LogMode) => runs.find((r) => r.round === round && r.mode === mode && r.workload === workload)!.perSecond;
      ratios[workload].push(of('audited') / of('plain'));
    }
  }
  return {
    options,
    runs,
    ratios,
    medianRatio: { draft: median(ratios.draft), publish: median(ratios.publish) },
    integration: {
      entries: latencies.length,
      p50: percentile(upper, 50),
      p90: percentile(upper, 90),
      p99: percentile(upper, 99),
      max: Math.max(...upper),
      lowerBoundP99: percentile(latencies.map((l) => l.lower), 99),
      resolutionMs: options.pollMs + median(pollMs),
    },
  };
}

async function send(base: string, method: 'PUT' | 'POST', path: string, token: string, body: unknown, ifMatch?: string): Promise<Response> {
  const response = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}
