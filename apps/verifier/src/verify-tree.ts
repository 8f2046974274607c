import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type Checkpoint,
  entryBundlePath,
  HASH_SIZE,
  rootFromLeafHashes,
  rootFromTiles,
  TILE_WIDTH,
  type TileCoord,
  tilePath,
  tilesForTreeSize,
} from '@custodia/tlog';
import { Piscina } from 'piscina';
import { type BundleResult, type BundleTask, checkBundle } from './bundle-check.js';
import { forEachInOrder, mapLimit } from './concurrency.js';
import { equalBytes, guard, VerificationFailure } from './failure.js';
import type { TileSource } from './tile-source.js';

// Requests in flight at once; enough to hide a server's latency, few enough to be polite.
const PARALLEL_READS = 8;
// The compiled worker beside this module (under jest's TypeScript there is none: bundles are
// then checked on the calling thread, as they are on one core or for a small tree).
const HASH_WORKER = new URL('./hash-worker.js', import.meta.url);
/** Fewer bundles than this are checked on the calling thread: starting the threads would cost more. */
const MIN_BUNDLES_FOR_WORKERS = 16;

export interface VerifiedTree {
  checkpoint: Checkpoint;
  /** The leaf hashes in the level-0 tiles, shown to produce the signed root. */
  leafHashes: Uint8Array[];
  /** How many entries were hashed and matched their leaf hashes (0 when their contents were not read). */
  entriesChecked: number;
  /** The threads that hashed them: one per core for a tree of more than a few bundles. */
  threads: number;
}

/**
 * Checks the tree behind a checkpoint whose signature was already verified: every level-0
 * tile and (with `entries`) every entry bundle, compared entry by entry; the root recomputed
 * from the level-0 hashes and from the tile structure; every higher-level tile hash against
 * the tile below it. `entriesFrom` skips the bundles an earlier pass over a smaller tree
 * checked already.
 */
export async function verifyTree(
  source: TileSource,
  checkpoint: Checkpoint,
  options: { entries: boolean; entriesFrom?: number },
): Promise<VerifiedTree> {
  const { size, rootHash } = checkpoint;
  const tiles = await readTiles(source, size);
  const leafHashes = levelZeroHashes(tiles, size);
  const { roots, threads } = options.entries ? await compareEntries(source, tiles, size, options.entriesFrom ?? 0) : { roots: new Map<number, Uint8Array>(), threads: 0 };

  // Every hash of every higher tile is the root of the full tile below it, and the root from
  // the tiles is the signed one: so the level-0 hashes (and, once each entry hashed to its own,
  // the entries) produce the signed root. Each tree node is hashed once.
  checkHigherLevels(tiles, size, roots);
  const tileRoot = guard('the hash tiles', () => rootFromTiles(size, (tile) => tiles.get(tilePath(tile))));
  if (!equalBytes(tileRoot, rootHash)) throw new VerificationFailure('the hash tiles do not produce the signed root hash');
  return { checkpoint, leafHashes, entriesChecked: options.entries ? size : 0, threads };
}

/** Every tile of a tree of `size` leaves, by path; a missing tile is a failure. */
async function readTiles(source: TileSource, size: number): Promise<Map<string, Uint8Array>> {
  const coords = tilesForTreeSize(size);
  const data = await mapLimit(coords, PARALLEL_READS, (tile) => readTile(source, tile));
  const tiles = new Map<string, Uint8Array>();
  coords.forEach((tile, i) => {
    const path = tilePath(tile);
    const bytes = data[i];
    const firstLeaf = tile.level === 0 ? tile.index * TILE_WIDTH : undefined;
    if (!bytes) throw new VerificationFailure(`tile ${path} is missing at ${source.locate(path)}`, firstLeaf);
    if (bytes.length !== tile.width * HASH_SIZE) {
      throw new VerificationFailure(`tile ${path} has ${bytes.length} bytes, want ${tile.width * HASH_SIZE}`, firstLeaf);
    }
    tiles.set(path, bytes);
  });
  return tiles;
}

// C2SP tlog-tiles: a partial tile may be gone once the full one exists; its prefix stands in.
async function readTile(source: TileSource, tile: TileCoord): Promise<Uint8Array | undefined> {
  const data = await source.read(tilePath(tile));
  if (data || tile.width === TILE_WIDTH) return data;
  const full = await source.read(tilePath({ ...tile, width: TILE_WIDTH }));
  return full?.length === TILE_WIDTH * HASH_SIZE ? full.subarray(0, tile.width * HASH_SIZE) : undefined;
}

function levelZeroHashes(tiles: Map<string, Uint8Array>, size: number): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const tile = tiles.get(tilePath({ level: 0, index, width: Math.min(TILE_WIDTH, size - index * TILE_WIDTH) }))!;
    for (let offset = 0; offset < tile.length; offset += HASH_SIZE) hashes.push(tile.subarray(offset, offset + HASH_SIZE));
  }
  return hashes;
}

/**
 * Checks every entry bundle from `from` on, on worker threads (one per core), in order: the
 * first bad entry is the one named, while the next bundles are read and hashed. Returns the
 * root of each full level-0 tile whose bundle was checked, which the workers computed, and how
 * many threads hashed.
 */
async function compareEntries(
  source: TileSource,
  tiles: Map<string, Uint8Array>,
  size: number,
  from: number,
): Promise<{ roots: Map<number, Uint8Array>; threads: number }> {
  const width = (bundle: number) => Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
  const bundles: number[] = [];
  for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < size; bundle++) bundles.push(bundle);
  const threads = availableParallelism();
  const pool = threads > 1 && bundles.length >= MIN_BUNDLES_FOR_WORKERS && existsSync(fileURLToPath(HASH_WORKER))
    ? new Piscina<BundleTask, BundleResult>({ filename: HASH_WORKER.href, minThreads: threads, maxThreads: threads })
    : undefined;
  const check = (task: BundleTask) => (pool ? pool.run(task) : Promise.resolve(checkBundle(task)));
  const roots = new Map<number, Uint8Array>();
  // Bundles read or hashed when one fails are still under way: the pool closes after them (a
  // worker answering a closed pool is an unhandled error that would end the verifier).
  const started = new Set<Promise<unknown>>();
  try {
    await forEachInOrder(
      bundles,
      Math.max(PARALLEL_READS, threads * 4),
      (bundle) => {
        const tile = tiles.get(tilePath({ level: 0, index: bundle, width: width(bundle) }))!;
        const work = readBundle(source, bundle, width(bundle)).then((read) => check({ ...read, first: bundle * TILE_WIDTH, width: width(bundle), tile }));
        started.add(work);
        return work;
      },
      (result, bundle) => {
        if (!result.ok) throw new VerificationFailure(result.message, result.index);
        if (result.root) roots.set(bundle, result.root);
      },
    );
  } finally {
    await Promise.allSettled(started);
    await pool?.destroy();
  }
  return { roots, threads: pool ? threads : 1 };
}

/** The bytes of a bundle, or of the full one standing in for a partial one that is gone (as for tiles). */
async function readBundle(source: TileSource, bundle: number, width: number): Promise<Pick<BundleTask, 'data' | 'full' | 'path'>> {
  const path = entryBundlePath(bundle, width);
  const data = await source.read(path);
  if (data) return { data, full: false, path };
  const fullPath = entryBundlePath(bundle, TILE_WIDTH);
  const full = width < TILE_WIDTH ? await source.read(fullPath) : undefined;
  if (!full) throw new VerificationFailure(`entry bundle ${path} not found at ${source.locate(path)}`, bundle * TILE_WIDTH);
  return { data: full, full: true, path: fullPath };
}

// C2SP tlog-tiles: hash i of tile (L, N) is the root of the 256 hashes of tile (L-1, N*256+i).
// `roots`: those of level-0 tiles already computed (by compareEntries' workers), by tile index.
function checkHigherLevels(tiles: Map<string, Uint8Array>, size: number, roots: Map<number, Uint8Array>): void {
  for (const tile of tilesForTreeSize(size)) {
    if (tile.level === 0) continue;
    const path = tilePath(tile);
    const data = tiles.get(path)!;
    for (let i = 0; i * HASH_SIZE < data.length; i++) {
      const belowPath = tilePath({ level: tile.level - 1, index: tile.index * TILE_WIDTH + i, width: TILE_WIDTH });
      const below = tiles.get(belowPath);
      const firstLeaf = (tile.index * TILE_WIDTH + i) * TILE_WIDTH ** tile.level;
      if (!below) throw new VerificationFailure(`tile ${belowPath}, below tile ${path}, is missing`, firstLeaf);
      const known = tile.level === 1 ? roots.get(tile.index * TILE_WIDTH + i) : undefined;
      const root = known ?? rootFromLeafHashes(Array.from({ length: TILE_WIDTH }, (_, k) => below.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE)));
      if (!equalBytes(root, data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
        throw new VerificationFailure(`hash ${i} of tile ${path} does not match tile ${belowPath} below it`, firstLeaf);
      }
    }
  }
}
