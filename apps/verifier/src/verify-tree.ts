import {
  type Checkpoint,
  decodeEntryBundle,
  entryBundlePath,
  HASH_SIZE,
  hashLeaf,
  rootFromLeafHashes,
  rootFromTiles,
  TILE_WIDTH,
  type TileCoord,
  tilePath,
  tilesForTreeSize,
} from '@custodia/tlog';
import { forEachInOrder, mapLimit } from './concurrency.js';
import { equalBytes, guard, VerificationFailure } from './failure.js';
import type { TileSource } from './tile-source.js';

// Requests in flight at once; enough to hide a server's latency, few enough to be polite.
const PARALLEL_READS = 8;

export interface VerifiedTree {
  checkpoint: Checkpoint;
  /** The leaf hashes in the level-0 tiles, shown to produce the signed root. */
  leafHashes: Uint8Array[];
  /** How many entries were hashed and matched their leaf hashes (0 when their contents were not read). */
  entriesChecked: number;
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
  if (options.entries) await compareEntries(source, leafHashes, options.entriesFrom ?? 0);

  // Every hash of every higher tile is the root of the full tile below it, and the root from
  // the tiles is the signed one: so the level-0 hashes (and, once each entry hashed to its own,
  // the entries) produce the signed root. Each tree node is hashed once.
  checkHigherLevels(tiles, size);
  const tileRoot = guard('the hash tiles', () => rootFromTiles(size, (tile) => tiles.get(tilePath(tile))));
  if (!equalBytes(tileRoot, rootHash)) throw new VerificationFailure('the hash tiles do not produce the signed root hash');
  return { checkpoint, leafHashes, entriesChecked: options.entries ? size : 0 };
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

async function compareEntries(source: TileSource, leafHashes: Uint8Array[], from: number): Promise<void> {
  const size = leafHashes.length;
  const width = (bundle: number) => Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
  const bundles: number[] = [];
  for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < size; bundle++) bundles.push(bundle);
  // Checked in order, so that the first bad entry is the one named, while the next bundles are
  // read: the server prepares them as this process hashes.
  await forEachInOrder(
    bundles,
    PARALLEL_READS,
    (bundle) => readBundle(source, bundle, width(bundle)),
    (entries, bundle) => checkBundle(entries, bundle * TILE_WIDTH, width(bundle), leafHashes),
  );
}

function checkBundle(entries: Uint8Array[], first: number, width: number, leafHashes: Uint8Array[]): void {
  // In order, so that an entry removed from the middle is named, not the bundle.
  entries.slice(0, width).forEach((entry, j) => {
    if (!equalBytes(hashLeaf(entry), leafHashes[first + j]!)) {
      throw new VerificationFailure(`entry ${first + j} does not match its leaf hash in the tiles`, first + j);
    }
  });
  if (entries.length < width) {
    throw new VerificationFailure(`entry ${first + entries.length} is missing from its entry bundle`, first + entries.length);
  }
  if (entries.length > width) {
    throw new VerificationFailure(`entry bundle ${first / TILE_WIDTH} holds ${entries.length} entries, want ${width}`, first + width);
  }
}

async function readBundle(source: TileSource, bundle: number, width: number): Promise<Uint8Array[]> {
  const first = bundle * TILE_WIDTH;
  const path = entryBundlePath(bundle, width);
  const data = await source.read(path);
  // Decoded without insisting on `width`: compareEntries names the first entry that is off.
  if (data) return guard(`entry bundle ${path}`, () => decodeEntryBundle(data), first);
  // As for tiles: the full bundle's first entries stand in for a partial one that is gone.
  const full = width < TILE_WIDTH ? await source.read(entryBundlePath(bundle, TILE_WIDTH)) : undefined;
  if (!full) throw new VerificationFailure(`entry bundle ${path} not found at ${source.locate(path)}`, first);
  return guard(`entry bundle ${entryBundlePath(bundle, TILE_WIDTH)}`, () => decodeEntryBundle(full, TILE_WIDTH), first).slice(0, width);
}

// C2SP tlog-tiles: hash i of tile (L, N) is the root of the 256 hashes of tile (L-1, N*256+i).
function checkHigherLevels(tiles: Map<string, Uint8Array>, size: number): void {
  for (const tile of tilesForTreeSize(size)) {
    if (tile.level === 0) continue;
    const path = tilePath(tile);
    const data = tiles.get(path)!;
    for (let i = 0; i * HASH_SIZE < data.length; i++) {
      const belowPath = tilePath({ level: tile.level - 1, index: tile.index * TILE_WIDTH + i, width: TILE_WIDTH });
      const below = tiles.get(belowPath);
      const firstLeaf = (tile.index * TILE_WIDTH + i) * TILE_WIDTH ** tile.level;
      if (!below) throw new VerificationFailure(`tile ${belowPath}, below tile ${path}, is missing`, firstLeaf);
      const hashes = Array.from({ length: TILE_WIDTH }, (_, k) => below.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE));
      if (!equalBytes(rootFromLeafHashes(hashes), data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
        throw new VerificationFailure(`hash ${i} of tile ${path} does not match tile ${belowPath} below it`, firstLeaf);
      }
    }
  }
}
