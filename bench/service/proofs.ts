import { type Checkpoint, entryBundlePath, openCheckpoint, parseVerifierKey, TILE_WIDTH, tilePath, tilesForTreeSize } from '@custodia/tlog';
import { clock, percentile, type Queryable } from '../log/stats.js';
import { assertShapedLikeReal, fillQueue, runCli, timeVerification, type VerificationTimes } from '../log/verification.js';
import { drain, integratedSize } from '../log/writes.js';
import type { ServiceProcess } from './service-process.js';

export interface ProofOptions {
  /** Proofs asked for, one after another, of each kind. */
  requests: number;
  verifyRuns: number;
  rawRuns: number;
  /** Above this many entries the in-memory comparison with raw SHA-256 is left out (it holds the log 3× in memory). */
  inMemoryUpTo: number;
}

export interface Latency {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ProofResults {
  entries: number;
  fill: { entries: number; seconds: number; integrationSeconds: number; integratedPerSecond: number };
  /** On the instance that integrated the entries (it keeps the tiles it filled, as many as fit). */
  inclusion: Latency;
  consistency: Latency;
  /** The trivial endpoint, asked by the same client between those proofs: what any answer costs there and then. */
  trivial: Latency;
  /** The same on an instance started afresh on the log: every tile read from the database when a proof first needs it. */
  fresh: { inclusion: Latency; consistency: Latency; trivial: Latency };
  verification?: VerificationTimes;
  cli: { seconds: number; entriesPerSecond: number; exitCode: number | null; summary: string };
  /** Resident memory of the service after serving the proofs and the verifier, MiB. */
  serviceRssMiB: number;
}

export interface ProofContext {
  db: Queryable;
  /** The running service, which integrates what is queued. */
  service: ServiceProcess;
  /** Stops it and starts a fresh one on the same log. */
  restart: () => Promise<ServiceProcess>;
  origin: string;
  verifierKey: string;
  oversightToken: string;
}

/**
 * Grows the log to `entries` (queued in bulk, integrated by the service's own integrator), then
 * times inclusion and consistency proofs over HTTP one after another at random indexes, each
 * beside the trivial endpoint, on that service and on one started afresh; then the verifier's
 * verifyTree against raw SHA-256 of the same bytes, and the real verifier CLI.
 */
export async function benchProofs(context: ProofContext, entries: number, options: ProofOptions, progress: (line: string) => void): Promise<ProofResults> {
  const { db } = context;
  let service = context.service;
  await drain(db);
  const filled = Math.max(0, entries - (await integratedSize(db)));
  progress(`  queueing ${filled} entries`);
  const fillStart = clock();
  await fillQueue(db, filled, context.origin);
  const fillSeconds = (clock() - fillStart) / 1000;
  await assertShapedLikeReal(db, context.origin);
  progress(`  integrating them`);
  const integrationStart = clock();
  await db.query('NOTIFY custodia_log');
  await drain(db, 3_600_000);
  const integrationSeconds = (clock() - integrationStart) / 1000;
  await db.query('VACUUM ANALYZE');

  const verifier = parseVerifierKey(context.verifierKey);
  const note = await (await fetch(`${service.url}/log/checkpoint`)).text();
  const { checkpoint } = openCheckpoint(note, [verifier], verifier.name);
  const size = checkpoint.size;
  const random = (below: number) => Math.floor(Math.random() * below);
  const inclusionPath = () => `/api/v1/log/proofs/inclusion?index=${random(size)}&treeSize=${size}`;
  const consistencyPath = () => `/api/v1/log/proofs/consistency?from=${1 + random(size - 1)}&to=${size}`;
  progress(`  ${options.requests} inclusion and consistency proofs of the tree of ${size}, on the service that integrated it`);
  const integrating = await timeProofs(service.url, options.requests, inclusionPath, consistencyPath);
  progress(`  the same on a service started afresh`);
  service = await context.restart();
  const fresh = await timeProofs(service.url, options.requests, inclusionPath, consistencyPath);

  let verification: VerificationTimes | undefined;
  if (size <= options.inMemoryUpTo) {
    progress(`  reading every tile and entry bundle over HTTP, then verifyTree against raw SHA-256`);
    const files = await readLog(service.url, context.oversightToken, checkpoint);
    verification = await timeVerification(files, checkpoint, options, progress);
  }
  progress(`  the verifier CLI against the service`);
  const cli = await runCli({ url: service.url, verifierKey: context.verifierKey, oversightToken: context.oversightToken }, size);
  return {
    entries: size,
    fill: { entries: filled, seconds: fillSeconds, integrationSeconds, integratedPerSecond: filled / integrationSeconds },
    ...integrating,
    fresh,
    verification,
    cli,
    serviceRssMiB: service.rssMiB(),
  };
}

/**
 * `count` inclusion proofs, then `count` consistency proofs, one after another (after a tenth as
 * many to warm up), each followed by a GET of the trivial endpoint: latency in ms as the client
 * sees it, and beside it what the same client waits for the least the service can answer.
 */
async function timeProofs(base: string, count: number, inclusionPath: () => string, consistencyPath: () => string) {
  const trivial: number[] = [];
  const time = async (next: () => string) => {
    for (let i = 0; i < Math.ceil(count / 10); i++) await get(base, next());
    const ms: number[] = [];
    for (let i = 0; i < count; i++) {
      ms.push(await get(base, next()));
      trivial.push(await get(base, '/health/live'));
    }
    return latency(ms);
  };
  const inclusion = await time(inclusionPath);
  const consistency = await time(consistencyPath);
  return { inclusion, consistency, trivial: latency(trivial) };
}

async function get(base: string, path: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(base + path);
  await response.arrayBuffer();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  return ms;
}

function latency(ms: number[]): Latency {
  return { requests: ms.length, p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: Math.max(...ms) };
}

/** Every hash tile and entry bundle of the tree, as the service serves them (bundles with the oversight token). */
async function readLog(base: string, token: string, checkpoint: Checkpoint): Promise<Map<string, Uint8Array>> {
  const paths = tilesForTreeSize(checkpoint.size).map(tilePath);
  for (let index = 0; index * TILE_WIDTH < checkpoint.size; index++) paths.push(entryBundlePath(index, Math.min(TILE_WIDTH, checkpoint.size - index * TILE_WIDTH)));
  const files = new Map<string, Uint8Array>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const response = await fetch(`${base}/log/${path}`, { headers: path.startsWith('tile/entries/') ? { authorization: `Bearer ${token}` } : {} });
        if (response.status !== 200) throw new Error(`GET /log/${path}: ${response.status}`);
        files.set(path, new Uint8Array(await response.arrayBuffer()));
      }
    }),
  );
  return files;
}
