import { spawn } from 'node:child_process';
import { createHash, hash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  type Checkpoint,
  decodeEntryBundle,
  entryBundlePath,
  openCheckpoint,
  parseVerifierKey,
  TILE_WIDTH,
  tilePath,
  tilesForTreeSize,
} from '@custodia/tlog';
import { canonicalJson, encodeEntry } from '../../apps/registry/src/log/log-entry.js';
import type { LogStore } from '../../apps/registry/src/log/log-store.js';
import type { TileSource } from '../../apps/verifier/src/tile-source.js';
import { verifyTree } from '../../apps/verifier/src/verify-tree.js';
import { clock, median, type Queryable, timeRuns } from './stats.js';
import { drain, entryInput, integratedSize } from './writes.js';

export interface VerifyOptions {
  entries: number;
  verifyRuns: number;
  rawRuns: number;
}

export interface VerifyResults {
  treeSize: number;
  /** Entries added with INSERT ... SELECT generate_series (the rest came through LogWriter). */
  filled: number;
  fillSeconds: number;
  integration: { seconds: number; entriesPerSecond: number; batches: number };
  bytes: { entries: number; tiles: number; total: number; tileCount: number; bundleCount: number };
  /** verifyTree over an in-memory source holding every tile and entry bundle (no HTTP). */
  verifyTreeMs: number[];
  /** node:crypto SHA-256 of the same bytes as one stream. */
  rawStreamMs: number[];
  /** node:crypto SHA-256, one hash per entry (with its 0x00 prefix) and per tile. */
  rawPerItemMs: number[];
  /**
   * node:crypto SHA-256 on one thread, two calls per entry: its leaf hash (0x00 ‖ entry) and
   * one 65-byte interior node (0x01 ‖ left ‖ right), what checking a tree costs at the least.
   */
  rawTwoPerEntryMs?: number[];
  /** The threads verifyTree hashed the entries on. */
  threads?: number;
  verifyMBps: number;
  rawStreamMBps: number;
  rawPerItemMBps: number;
  /** verify throughput / raw (one stream) throughput. */
  ratio: number;
  ratioToPerItem: number;
  /** verify throughput / two SHA-256 calls per entry (one thread). */
  ratioToTwoPerEntry?: number;
  cli: { seconds: number; entriesPerSecond: number; exitCode: number | null; summary: string };
}

const VERIFIER_MAIN = fileURLToPath(new URL('../../../apps/verifier/main.js', import.meta.url));

export interface VerifyContext {
  dataSource: Queryable;
  store: LogStore;
  wakeIntegrator: () => void;
  origin: string;
  verifierKey: string;
  /** The app listening on loopback, for the CLI. */
  url: string;
  oversightToken: string;
}

/**
 * Grows the log to `entries` entries and times its full verification: the verifier's own
 * verifyTree on every tile and entry bundle held in memory, against node:crypto SHA-256 of the
 * same bytes, and the real verifier CLI against the app over HTTP.
 */
export async function benchVerification(context: VerifyContext, options: VerifyOptions, progress: (line: string) => void): Promise<VerifyResults> {
  const { dataSource } = context;
  await drain(dataSource);
  const before = await integratedSize(dataSource);
  const filled = Math.max(0, options.entries - before);
  const checkpointsBefore = await checkpointCount(dataSource);

  progress(`filling log_queue with ${filled} entries`);
  const fillStart = clock();
  await fillQueue(dataSource, filled, context.origin);
  const fillSeconds = (clock() - fillStart) / 1000;
  await assertShapedLikeReal(dataSource, context.origin);

  progress(`integrating ${filled} entries`);
  const integrationStart = clock();
  context.wakeIntegrator();
  await drain(dataSource, 600_000);
  const integrationSeconds = (clock() - integrationStart) / 1000;
  const batches = (await checkpointCount(dataSource)) - checkpointsBefore;

  const verifier = parseVerifierKey(context.verifierKey);
  const { note } = await context.store.checkpoint();
  const { checkpoint } = openCheckpoint(note, [verifier], verifier.name);
  progress(`loading every tile and entry bundle of the tree of ${checkpoint.size}`);
  const files = await loadLog(context.store, checkpoint);

  const timed = await timeVerification(files, checkpoint, options, progress);

  progress('running the verifier CLI against the app over HTTP');
  const cli = await runCli(context, checkpoint.size);

  return {
    treeSize: checkpoint.size,
    filled,
    fillSeconds,
    integration: { seconds: integrationSeconds, entriesPerSecond: filled / integrationSeconds, batches },
    ...timed,
    cli,
  };
}

export type VerificationTimes = Omit<VerifyResults, 'treeSize' | 'filled' | 'fillSeconds' | 'integration' | 'cli'>;

/**
 * The verifier's own verifyTree over every tile and entry bundle held in memory, against
 * node:crypto SHA-256 of the same bytes as one stream and as one hash per item.
 */
export async function timeVerification(
  files: Map<string, Uint8Array>,
  checkpoint: Checkpoint,
  options: Pick<VerifyOptions, 'verifyRuns' | 'rawRuns'>,
  progress: (line: string) => void,
): Promise<VerificationTimes> {
  const source: TileSource = { read: async (path) => files.get(path), locate: (path) => `memory:${path}` };
  const raw = rawItems(files, checkpoint.size);
  const stream = Buffer.concat(raw.items);
  progress(`timing verifyTree (${options.verifyRuns}×) and node:crypto SHA-256 of the same ${(stream.length / 1e6).toFixed(1)} MB`);
  let threads = 0;
  const verifyTreeMs = await timeRuns(options.verifyRuns, async () => {
    const verified = await verifyTree(source, checkpoint, { entries: true });
    if (verified.entriesChecked !== checkpoint.size) throw new Error(`verifyTree checked ${verified.entriesChecked} of ${checkpoint.size} entries`);
    threads = verified.threads;
  });
  const expected = createHash('sha256').update(stream).digest('hex');
  const rawStreamMs = await timeRuns(options.rawRuns, () => {
    if (createHash('sha256').update(stream).digest('hex') !== expected) throw new Error('SHA-256 is not deterministic?');
  });
  const rawPerItemMs = await timeRuns(options.rawRuns, () => {
    for (const item of raw.items) hash('sha256', item, 'buffer');
  });
  const node = Buffer.alloc(65, 1);
  const rawTwoPerEntryMs = await timeRuns(options.rawRuns, () => {
    for (let i = 0; i < checkpoint.size; i++) {
      hash('sha256', raw.items[i]!, 'buffer');
      hash('sha256', node, 'buffer');
    }
  });

  const mbps = (ms: number[]) => stream.length / 1e6 / (median(ms) / 1000);
  return {
    bytes: {
      entries: raw.entryBytes,
      tiles: raw.tileBytes,
      total: stream.length,
      tileCount: tilesForTreeSize(checkpoint.size).length,
      bundleCount: Math.ceil(checkpoint.size / TILE_WIDTH),
    },
    verifyTreeMs,
    rawStreamMs,
    rawPerItemMs,
    rawTwoPerEntryMs,
    threads,
    verifyMBps: mbps(verifyTreeMs),
    rawStreamMBps: mbps(rawStreamMs),
    rawPerItemMBps: mbps(rawPerItemMs),
    ratio: median(rawStreamMs) / median(verifyTreeMs),
    ratioToPerItem: median(rawPerItemMs) / median(verifyTreeMs),
    ratioToTwoPerEntry: median(rawTwoPerEntryMs) / median(verifyTreeMs),
  };
}

/**
 * Queues `count` entries in one statement, each the exact RFC 8785 JSON that LogWriter writes
 * for a bench write (keys in canonical order; assertShapedLikeReal checks a sample).
 */
export async function fillQueue(dataSource: Queryable, count: number, origin: string): Promise<void> {
  if (count === 0) return;
  const agencies = Array.from({ length: 40 }, () => randomUUID());
  const actors = Array.from({ length: 200 }, () => randomUUID());
  // In transactions of FILL_CHUNK entries: the integrator rescans the integrated entries of the
  // transaction it is in the middle of (docs/audit-log.md), which one huge transaction makes slow.
  for (let done = 0; done < count; done += FILL_CHUNK) await fillChunk(dataSource, Math.min(FILL_CHUNK, count - done), origin, agencies, actors);
}

const FILL_CHUNK = 20_000;

async function fillChunk(dataSource: Queryable, count: number, origin: string, agencies: string[], actors: string[]): Promise<void> {
  await dataSource.query(
    `INSERT INTO log_queue (entry, subject_type, subject_id, public)
     SELECT convert_to(format(
              '{"action":"bench.item.create","actor":{"agencyId":"%s","id":"%s","roles":["agency_editor"]},'
              '"contentHash":"%s","origin":%s,"publicContentHash":"%s","requestId":"%s",'
              '"subject":{"id":"%s","type":"bench_item"},"time":"%s","v":1}',
              ($3::uuid[])[1 + s.g % 40], ($4::uuid[])[1 + s.g % 200],
              encode(sha256(convert_to('content ' || s.subject, 'UTF8')), 'hex'), to_json($2::text)::text,
              encode(sha256(convert_to('public ' || s.subject, 'UTF8')), 'hex'), s.request, s.subject, s.at),
            'UTF8'), 'bench_item', s.subject, true
       FROM (SELECT g, gen_random_uuid() AS subject, gen_random_uuid() AS request,
                    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
               FROM generate_series(1, $1::int) g) s`,
    [count, origin, agencies, actors],
  );
}

/** The filled entries must be canonical and have exactly the shape and length of real ones. */
export async function assertShapedLikeReal(dataSource: Queryable, origin: string): Promise<void> {
  const rows = await dataSource.query<Array<{ entry: Buffer }>>(
    `SELECT entry FROM log_queue WHERE subject_type = 'bench_item' ORDER BY random() LIMIT 3`,
  );
  for (const { entry } of rows) {
    const text = entry.toString('utf8');
    const parsed = JSON.parse(text) as { subject: { id: string }; actor: { id: string; agencyId: string }; time: string };
    if (canonicalJson(parsed) !== text) throw new Error(`a filled entry is not RFC 8785 canonical JSON: ${text}`);
    const real = encodeEntry(entryInput(parsed.subject.id, parsed.actor), origin, new Date(parsed.time)).toString('utf8');
    const shape = (json: string) => JSON.stringify(JSON.parse(json), (_key, value: unknown) => (typeof value === 'string' ? value.length : value));
    if (shape(real) !== shape(text)) throw new Error(`a filled entry is not shaped like a real one:\n  filled ${text}\n  real   ${real}`);
  }
}

/** Every hash tile and entry bundle of the tree, read through the app's LogStore (what it serves). */
async function loadLog(store: LogStore, checkpoint: Checkpoint): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const size = checkpoint.size;
  const reads: Array<() => Promise<void>> = [];
  for (const tile of tilesForTreeSize(size)) {
    reads.push(async () => {
      const data = await store.tile(tile, size);
      if (!data) throw new Error(`tile ${tilePath(tile)} is missing`);
      files.set(tilePath(tile), new Uint8Array(data));
    });
  }
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
    reads.push(async () => {
      const data = await store.entryBundle(index, width, size);
      if (!data) throw new Error(`entry bundle ${index} is missing`);
      files.set(entryBundlePath(index, width), new Uint8Array(data));
    });
  }
  for (let i = 0; i < reads.length; i += 8) await Promise.all(reads.slice(i, i + 8).map((read) => read()));
  return files;
}

/** The bytes a verifier must hash at the least: each entry with its 0x00 prefix, and every tile. */
function rawItems(files: Map<string, Uint8Array>, size: number): { items: Buffer[]; entryBytes: number; tileBytes: number } {
  const items: Buffer[] = [];
  let entryBytes = 0;
  let tileBytes = 0;
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const bundle = files.get(entryBundlePath(index, Math.min(TILE_WIDTH, size - index * TILE_WIDTH)))!;
    for (const entry of decodeEntryBundle(bundle)) {
      items.push(Buffer.concat([Buffer.of(0), entry]));
      entryBytes += entry.length + 1;
    }
  }
  for (const tile of tilesForTreeSize(size)) {
    const data = files.get(tilePath(tile))!;
    items.push(Buffer.from(data));
    tileBytes += data.length;
  }
  return { items, entryBytes, tileBytes };
}

/** The real verifier CLI, as an oversight body would run it, against the app over loopback HTTP. */
export async function runCli(context: Pick<VerifyContext, 'url' | 'verifierKey' | 'oversightToken'>, size: number): Promise<VerifyResults['cli']> {
  const args = [VERIFIER_MAIN, '--url', context.url, '--key', context.verifierKey];
  const start = clock();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, CUSTODIA_TOKEN: context.oversightToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const seconds = (clock() - start) / 1000;
  if (exitCode !== 0 || !output.includes(`${size} entries match their leaf hashes`)) {
    throw new Error(`the verifier CLI did not verify the log of ${size} entries (exit ${exitCode}):\n${output}`);
  }
  return { seconds, entriesPerSecond: size / seconds, exitCode, summary: output.trim().split('\n').slice(0, 4).join(' / ') };
}

export async function checkpointCount(dataSource: Queryable): Promise<number> {
  const [row] = await dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM log_checkpoints');
  return Number(row!.n);
}
