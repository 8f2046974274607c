import { TlogError } from './errors.js';
import { HASH_SIZE, hashChildren, rootFromLeafHashes } from './hashing.js';
import { rootHash, type HashAt, type Subtree } from './subtrees.js';
import { assertTile, TILE_HEIGHT, TILE_WIDTH, tileKey, tilePath, type TileCoord } from './tile-paths.js';
import { assertTreeNumber } from './tree-math.js';

// Returns a stored tile's bytes (exactly width * 32), or undefined when it is not available.
export type ReadTile = (tile: TileCoord) => Uint8Array | undefined;

// C2SP tlog-tiles "Partial Tiles": the tiles of a tree of `size` leaves, level by level. With
// `fromSize`, only the tiles that are new or wider than at fromSize (what to write or fetch
// after the tree grew).
export function tilesForTreeSize(size: number, fromSize = 0): TileCoord[] {
  assertTreeNumber(size, 'tree size');
  assertTreeNumber(fromSize, 'fromSize');
  if (fromSize > size) throw new TlogError('sizes-out-of-order', `fromSize ${fromSize} is greater than size ${size}`);
  const tiles: TileCoord[] = [];
  for (let level = 0; ; level++) {
    const count = hashesAtTileLevel(level, size);
    if (count === 0) return tiles;
    const oldCount = hashesAtTileLevel(level, fromSize);
    if (count === oldCount) continue;
    for (let index = Math.floor(oldCount / TILE_WIDTH); index * TILE_WIDTH < count; index++) {
      tiles.push({ level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) });
    }
  }
}

// The tile, as it is at `treeSize`, that holds a complete subtree's hash (C2SP tlog-tiles:
// a level-L tile hash covers 256^L leaves; smaller subtrees are hashed from runs of them).
export function tileForSubtree(subtree: Subtree, treeSize: number): TileCoord {
  assertSubtreeInTree(subtree, treeSize);
  const level = Math.floor(subtree.level / TILE_HEIGHT);
  const first = subtree.index * 2 ** (subtree.level % TILE_HEIGHT);
  return tileAt(level, Math.floor(first / TILE_WIDTH), treeSize);
}

// The distinct tiles holding the given subtrees (e.g. from inclusionProofSubtrees).
export function tilesForSubtrees(subtrees: readonly Subtree[], treeSize: number): TileCoord[] {
  const byKey = new Map<string, TileCoord>();
  for (const s of subtrees) {
    const tile = tileForSubtree(s, treeSize);
    byKey.set(tileKey(tile), tile);
  }
  return [...byKey.values()];
}

// A HashAt over the tiles of a tree of `treeSize` leaves. A subtree is hashed from its own
// tile level when that tile is available, otherwise from its two halves one level down, so
// tiles not written yet (e.g. the level above while integrating) are rebuilt from level 0.
// Each tile is read at most once per accessor.
export function hashAtFromTiles(treeSize: number, readTile: ReadTile): HashAt {
  return hashAtInTiles(treeSize, readTile, (data, run, first) =>
    rootFromLeafHashes(splitHashes(data.subarray(first * HASH_SIZE, (first + run) * HASH_SIZE))),
  );
}

// A tile's hashes with those of every complete subtree inside it, level by level: level r holds
// the roots of the tile's aligned runs of 2^r hashes (level 0 is the tile itself, level 8 of a
// full tile its root). With them a proof's hashes inside a tile are lookups: a tile's interior
// costs its 255 hashes once, not up to 127 for every proof that passes through it.
export type TileNodes = readonly Uint8Array[];

// Returns the stored TileNodes of a tile (from tileNodes over its exact bytes), or undefined.
export type ReadTileNodes = (tile: TileCoord) => TileNodes | undefined;

export function tileNodes(data: Uint8Array): TileNodes {
  if (data.length % HASH_SIZE !== 0 || data.length > TILE_WIDTH * HASH_SIZE) {
    throw new TlogError('bad-tile', `a tile has a whole number of hashes, at most ${TILE_WIDTH}; got ${data.length} bytes`);
  }
  const levels = [data];
  for (let below = data; below.length >= 2 * HASH_SIZE; ) {
    const level = new Uint8Array(Math.floor(below.length / (2 * HASH_SIZE)) * HASH_SIZE);
    for (let at = 0; at < level.length; at += HASH_SIZE) {
      level.set(hashChildren(below.subarray(2 * at, 2 * at + HASH_SIZE), below.subarray(2 * at + HASH_SIZE, 2 * at + 2 * HASH_SIZE)), at);
    }
    levels.push(level);
    below = level;
  }
  return levels;
}

// A full tile's interior: its TileNodes above level 0 (128 + 64 + … + 1 = 255 hashes) in one
// buffer, to be stored beside the tile and read back with tileNodesWithInterior.
export const TILE_INTERIOR_SIZE = (TILE_WIDTH - 1) * HASH_SIZE;

export function tileInterior(nodes: TileNodes): Uint8Array {
  if (nodes[0]?.length !== TILE_WIDTH * HASH_SIZE) throw new TlogError('bad-tile', 'only a full tile has a stored interior');
  const interior = new Uint8Array(TILE_INTERIOR_SIZE);
  let at = 0;
  for (const level of nodes.slice(1)) {
    interior.set(level, at);
    at += level.length;
  }
  return interior;
}

// The TileNodes of a full tile from its hashes and its stored interior, without hashing: the
// same as tileNodes(hashes) when the interior is what tileInterior gave for that tile.
export function tileNodesWithInterior(hashes: Uint8Array, interior: Uint8Array): TileNodes {
  if (hashes.length !== TILE_WIDTH * HASH_SIZE || interior.length !== TILE_INTERIOR_SIZE) {
    throw new TlogError('bad-tile', `a full tile is ${TILE_WIDTH * HASH_SIZE} bytes and its interior ${TILE_INTERIOR_SIZE}; got ${hashes.length} and ${interior.length}`);
  }
  const levels = [hashes];
  for (let at = 0, length = hashes.length / 2; length >= HASH_SIZE; at += length, length /= 2) {
    levels.push(interior.subarray(at, at + length));
  }
  return levels;
}

// hashAtFromTiles over TileNodes: the same hashes, with no hashing inside a tile.
export function hashAtFromTileNodes(treeSize: number, readNodes: ReadTileNodes): HashAt {
  return hashAtInTiles(treeSize, readNodes, (nodes, run, first) => {
    const level = nodes[Math.log2(run)];
    const at = (first / run) * HASH_SIZE;
    if (!level || at + HASH_SIZE > level.length) throw new TlogError('bad-tile', `tile nodes lack the run of ${run} hashes at ${first}`);
    return level.subarray(at, at + HASH_SIZE);
  });
}

// The HashAt both of the above share: `inTile` gives the root of the `run` hashes from hash
// `first` of an available tile.
function hashAtInTiles<T extends Uint8Array | TileNodes>(
  treeSize: number,
  readTile: (tile: TileCoord) => T | undefined,
  inTile: (data: T, run: number, first: number) => Uint8Array,
): HashAt {
  assertTreeNumber(treeSize, 'tree size');
  const cache = new Map<string, T | undefined>();
  const read = (tile: TileCoord): T | undefined => {
    const key = tileKey(tile);
    if (!cache.has(key)) cache.set(key, checkedTile(tile, readTile(tile)));
    return cache.get(key);
  };
  const hashAt: HashAt = (level, index) => {
    const tile = tileForSubtree({ level, index }, treeSize);
    const data = read(tile);
    if (data) {
      const run = 2 ** (level % TILE_HEIGHT);
      return inTile(data, run, (index * run) % TILE_WIDTH);
    }
    if (level === 0) throw new TlogError('missing-tile', `tile ${tilePath(tile)} is not available`);
    return hashChildren(hashAt(level - 1, 2 * index), hashAt(level - 1, 2 * index + 1));
  };
  return hashAt;
}

// C2SP tlog-tiles: the root of a tree recomputed from its tiles.
export function rootFromTiles(treeSize: number, readTile: ReadTile): Uint8Array {
  return rootHash(treeSize, hashAtFromTiles(treeSize, readTile));
}

// C2SP tlog-tiles "Merkle Tree": hash i of tile (L, N) is MTH of the 256^L leaves starting at
// (N * 256 + i) * 256^L; at level 0 these are the leaf hashes themselves.
export function buildTile(tile: TileCoord, hashAt: HashAt): Uint8Array {
  assertTile(tile);
  const out = new Uint8Array(tile.width * HASH_SIZE);
  for (let i = 0; i < tile.width; i++) {
    out.set(hashAt(tile.level * TILE_HEIGHT, tile.index * TILE_WIDTH + i), i * HASH_SIZE);
  }
  return out;
}

// Every tile of the tree made of `leafHashes`, lower levels first, each level built from the
// one below.
export function tilesFromLeafHashes(leafHashes: readonly Uint8Array[]): { tile: TileCoord; data: Uint8Array }[] {
  const built = new Map<string, Uint8Array>();
  const readBuilt: ReadTile = (tile) => built.get(tileKey(tile));
  const size = leafHashes.length;
  return tilesForTreeSize(size).map((tile) => {
    const data =
      tile.level === 0
        ? concatHashes(leafHashes.slice(tile.index * TILE_WIDTH, tile.index * TILE_WIDTH + tile.width))
        : buildTile(tile, hashAtFromTiles(size, readBuilt));
    built.set(tileKey(tile), data);
    return { tile, data };
  });
}

// The number of hashes at tile level `level` in a tree of `size` leaves.
function hashesAtTileLevel(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

function tileAt(level: number, index: number, treeSize: number): TileCoord {
  return { level, index, width: Math.min(TILE_WIDTH, hashesAtTileLevel(level, treeSize) - index * TILE_WIDTH) };
}

function assertSubtreeInTree(subtree: Subtree, treeSize: number): void {
  assertTreeNumber(subtree.level, 'subtree level');
  assertTreeNumber(subtree.index, 'subtree index');
  const end = (subtree.index + 1) * 2 ** subtree.level;
  if (end > treeSize) {
    throw new TlogError(
      'index-out-of-range',
      `subtree at level ${subtree.level} index ${subtree.index} ends at ${end}, beyond tree size ${treeSize}`,
    );
  }
}

function checkedTile<T extends Uint8Array | TileNodes>(tile: TileCoord, data: T | undefined): T | undefined {
  // A tile's bytes, or its TileNodes (whose level 0 is the tile); isView holds across realms.
  const hashes = ArrayBuffer.isView(data) ? (data as Uint8Array) : (data as TileNodes | undefined)?.[0];
  if (data !== undefined && hashes?.length !== tile.width * HASH_SIZE) {
    throw new TlogError('bad-tile', `tile ${tilePath(tile)} has ${hashes?.length ?? 0} bytes, want ${tile.width * HASH_SIZE}`);
  }
  return data;
}

function splitHashes(data: Uint8Array): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += HASH_SIZE) hashes.push(data.subarray(i, i + HASH_SIZE));
  return hashes;
}

function concatHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) throw new TlogError('bad-hash-length', `leaf hash ${i} must be ${HASH_SIZE} bytes`);
    out.set(h, i * HASH_SIZE);
  });
  return out;
}
