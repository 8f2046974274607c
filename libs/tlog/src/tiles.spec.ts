import fc from 'fast-check';
import { errorCode } from '../test-support/error-code.js';
import { referenceLeafHash, referenceMth } from '../test-support/reference-merkle.js';
import { emptyRoot, hashChildren, hashLeaf, rootFromLeafHashes } from './hashing.js';
import { consistencyProof, consistencyProofFromLeaves, consistencyProofSubtrees, inclusionProof, inclusionProofFromLeaves, inclusionProofSubtrees } from './proofs.js';
import { rootHash, type HashAt } from './subtrees.js';
import { tilePath, type TileCoord } from './tile-paths.js';
import {
  buildTile,
  hashAtFromTileNodes,
  hashAtFromTiles,
  rootFromTiles,
  TILE_INTERIOR_SIZE,
  tileInterior,
  tileNodes,
  tileNodesWithInterior,
  tilesForSubtrees,
  tilesForTreeSize,
  tilesFromLeafHashes,
  type ReadTile,
} from './tiles.js';

// Leaf hashes of 4-byte big-endian indexes; cheap enough for trees past 65,536 leaves.
const MAX_LEAVES = 70_000;
const leafHashes = Array.from({ length: MAX_LEAVES }, (_, i) =>
  hashLeaf(Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff)),
);
const leaves = (n: number) => leafHashes.slice(0, n);
const hex = (hashes: Uint8Array[]) => hashes.map((h) => Buffer.from(h).toString('hex'));

const readers = new Map<number, { read: ReadTile; tiles: Map<string, Uint8Array> }>();
function readerFor(size: number): { read: ReadTile; tiles: Map<string, Uint8Array> } {
  if (!readers.has(size)) {
    const tiles = new Map(tilesFromLeafHashes(leaves(size)).map(({ tile, data }) => [tilePath(tile), data]));
    readers.set(size, { tiles, read: (tile) => tiles.get(tilePath(tile)) });
  }
  return readers.get(size)!;
}

const roots = new Map<number, Uint8Array>();
function rootOf(size: number): Uint8Array {
  if (!roots.has(size)) roots.set(size, rootFromLeafHashes(leaves(size)));
  return roots.get(size)!;
}

describe('which tiles exist', () => {
  test('C2SP tlog-tiles example: a tree of 70,000 leaves', () => {
    const tiles = tilesForTreeSize(70_000);
    const level0 = tiles.filter((t) => t.level === 0);
    expect(level0.filter((t) => t.width === 256)).toHaveLength(273);
    expect(level0.filter((t) => t.width < 256)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(tiles.filter((t) => t.level > 0)).toEqual([
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  test('C2SP tlog-tiles example: a tree of 256 leaves is one full tile and a level-1 tile of width 1', () => {
    expect(tilesForTreeSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(tilesForTreeSize(0)).toEqual([]);
    expect(tilesForTreeSize(1)).toEqual([{ level: 0, index: 0, width: 1 }]);
  });

  test('after growth, exactly the tiles that are new or wider are listed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const before = new Set(tilesForTreeSize(from).map(tilePath));
        const expected = tilesForTreeSize(to).filter((t) => !before.has(tilePath(t)));
        expect(tilesForTreeSize(to, from)).toEqual(expected);
      }),
    );
    expect(errorCode(() => tilesForTreeSize(5, 6))).toBe('sizes-out-of-order');
  });
});

describe('tile contents', () => {
  test('level 0 is the leaf hashes; level 1 hashes are MTH of 256-leaf runs; widths follow the size', () => {
    const size = 256 * 3 + 5;
    const tiles = tilesFromLeafHashes(leaves(size));
    expect(tiles.map((t) => t.tile)).toEqual(tilesForTreeSize(size));
    for (const { tile, data } of tiles) {
      expect(data.length).toBe(tile.width * 32);
      for (let i = 0; i < tile.width; i++) {
        const span = 256 ** tile.level;
        const first = (tile.index * 256 + i) * span;
        const expected = rootFromLeafHashes(leaves(size).slice(first, first + span));
        expect(Buffer.from(data.subarray(i * 32, (i + 1) * 32))).toEqual(Buffer.from(expected));
      }
    }
  });

  test('buildTile from leaves equals the tile built level by level', () => {
    const size = 70_000;
    const { tiles } = readerFor(size);
    const all = leaves(size);
    const fromLeaves: HashAt = (level, index) => rootFromLeafHashes(all.slice(index * 2 ** level, (index + 1) * 2 ** level));
    const upper: TileCoord = { level: 1, index: 0, width: 256 };
    expect(Buffer.from(buildTile(upper, fromLeaves))).toEqual(Buffer.from(tiles.get(tilePath(upper))!));
  });
});

describe('roots from tiles', () => {
  const smallSizes = [...Array.from({ length: 301 }, (_, n) => n), 511, 512, 513, 767, 768, 769, 1000];
  test('equal the RFC 6962 root for every size up to 300 and around later tile boundaries', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`leaf ${i}`));
    const hashes = entries.map(referenceLeafHash);
    for (const size of smallSizes) {
      const tiles = new Map(tilesFromLeafHashes(hashes.slice(0, size)).map(({ tile, data }) => [tilePath(tile), data]));
      const root = rootFromTiles(size, (tile) => tiles.get(tilePath(tile)));
      expect(Buffer.from(root)).toEqual(Buffer.from(referenceMth(entries.slice(0, size))));
    }
  });

  test('equal the root from leaves for sizes around the level-2 boundary', () => {
    for (const size of [65_536, 70_000]) {
      expect(rootFromTiles(size, readerFor(size).read)).toEqual(rootOf(size));
    }
  });

  test('are rebuilt from level 0 when upper tiles are missing', () => {
    const size = 70_000;
    const { tiles } = readerFor(size);
    const levelZeroOnly: ReadTile = (tile) => (tile.level === 0 ? tiles.get(tilePath(tile)) : undefined);
    expect(rootFromTiles(size, levelZeroOnly)).toEqual(rootOf(size));
  });

  test('the empty tree needs no tiles', () => {
    expect(rootFromTiles(0, () => undefined)).toEqual(emptyRoot());
  });

  // For 600 leaves the root is H(MTH(leaves 0-511), MTH(leaves 512-599)): the first half is one
  // level-1 hash, so the full level-0 tiles under it are not needed (nor checked).
  test('read only the tiles the root needs', () => {
    const { read } = readerFor(600);
    const seen: string[] = [];
    rootFromTiles(600, (tile) => {
      seen.push(tilePath(tile));
      return read(tile);
    });
    expect(seen.sort()).toEqual(['tile/0/002.p/88', 'tile/1/000.p/2']);
  });

  test('a missing tile or a tile of the wrong length is an error', () => {
    const size = 600;
    const { tiles, read } = readerFor(size);
    const without = (path: string): ReadTile => (tile) => (tilePath(tile) === path ? undefined : read(tile));
    expect(errorCode(() => rootFromTiles(size, without('tile/0/002.p/88')))).toBe('missing-tile');
    // Without the level-1 tile, its hashes are rebuilt from the level-0 tiles...
    expect(rootFromTiles(size, without('tile/1/000.p/2'))).toEqual(rootOf(size));
    // ...so a missing level-0 tile shows up only then.
    const neither: ReadTile = (tile) => (['tile/1/000.p/2', 'tile/0/001'].includes(tilePath(tile)) ? undefined : read(tile));
    expect(errorCode(() => rootFromTiles(size, neither))).toBe('missing-tile');
    const short: ReadTile = (tile) => (tilePath(tile) === 'tile/0/002.p/88' ? tiles.get('tile/0/002.p/88')!.subarray(32) : read(tile));
    expect(errorCode(() => rootFromTiles(size, short))).toBe('bad-tile');
    expect(errorCode(() => hashAtFromTiles(size, read)(0, 600))).toBe('index-out-of-range');
  });

  test('a changed hash in any tile the root reads changes the root', () => {
    const size = 600;
    const { read } = readerFor(size);
    for (const path of ['tile/0/002.p/88', 'tile/1/000.p/2']) {
      const tampered: ReadTile = (tile) => {
        const data = read(tile)!;
        if (tilePath(tile) !== path) return data;
        const copy = data.slice();
        copy[37]! ^= 0x80;
        return copy;
      };
      expect(errorCode(() => rootFromTiles(size, tampered))).toBeUndefined();
      expect(rootFromTiles(size, tampered)).not.toEqual(rootOf(size));
    }
  });
});

describe('proofs from tiles', () => {
  const sizes = fc.integer({ min: 1, max: 2_000 });

  test('inclusion proofs equal those from leaves, reading only the tiles tilesForSubtrees names', () => {
    fc.assert(
      fc.property(
        sizes.chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        ([size, index]) => {
          const { read } = readerFor(size);
          const needed = new Set(tilesForSubtrees(inclusionProofSubtrees(index, size), size).map(tilePath));
          const restricted: ReadTile = (tile) => {
            if (!needed.has(tilePath(tile))) throw new Error(`unlisted tile ${tilePath(tile)}`);
            return read(tile);
          };
          const proof = inclusionProof(index, size, hashAtFromTiles(size, restricted));
          expect(hex(proof)).toEqual(hex(inclusionProofFromLeaves(index, leaves(size))));
          const fromNodes = inclusionProof(index, size, hashAtFromTileNodes(size, (tile) => tileNodes(restricted(tile)!)));
          expect(hex(fromNodes)).toEqual(hex(proof));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('consistency proofs equal those from leaves, reading only the tiles tilesForSubtrees names', () => {
    fc.assert(
      fc.property(
        sizes.chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2))),
        ([size1, size2]) => {
          const { read } = readerFor(size2);
          const needed = new Set(tilesForSubtrees(consistencyProofSubtrees(size1, size2), size2).map(tilePath));
          const restricted: ReadTile = (tile) => {
            if (!needed.has(tilePath(tile))) throw new Error(`unlisted tile ${tilePath(tile)}`);
            return read(tile);
          };
          const proof = consistencyProof(size1, size2, hashAtFromTiles(size2, restricted));
          expect(hex(proof)).toEqual(hex(consistencyProofFromLeaves(size1, leaves(size2))));
          const fromNodes = consistencyProof(size1, size2, hashAtFromTileNodes(size2, (tile) => tileNodes(restricted(tile)!)));
          expect(hex(fromNodes)).toEqual(hex(proof));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('tileNodes', () => {
  test('holds the root of every aligned run of a tile: the whole tile at the top of a full one', () => {
    const { tiles } = readerFor(600);
    const full = tileNodes(tiles.get('tile/0/001')!);
    expect(full.map((level) => level.length / 32)).toEqual([256, 128, 64, 32, 16, 8, 4, 2, 1]);
    expect(hex([full[8]!])).toEqual(hex([rootFromLeafHashes(leaves(512).slice(256))]));
    expect(hex([full[3]!.subarray(5 * 32, 6 * 32)])).toEqual(hex([rootFromLeafHashes(leaves(256 + 48).slice(256 + 40))]));
    // A partial tile of 88 hashes holds its complete runs only: 44 pairs, ..., one run of 64.
    const partial = tileNodes(tiles.get('tile/0/002.p/88')!);
    expect(partial.map((level) => level.length / 32)).toEqual([88, 44, 22, 11, 5, 2, 1]);
    expect(hex([partial[6]!])).toEqual(hex([rootFromLeafHashes(leaves(512 + 64).slice(512))]));
  });

  test('a changed hash in a tile changes the proofs that read inside it, and a short tile is refused', () => {
    const size = 600;
    const { tiles, read } = readerFor(size);
    const tampered = tiles.get('tile/0/001')!.slice();
    tampered[32 * 200]! ^= 0x01;
    const hashAt = hashAtFromTileNodes(size, (tile) => tileNodes(tilePath(tile) === 'tile/0/001' ? tampered : read(tile)!));
    expect(hex(inclusionProof(300, size, hashAt))).not.toEqual(hex(inclusionProofFromLeaves(300, leaves(size))));
    // A proof of leaf 100 takes that tile's root from the level-1 tile, which was not changed.
    expect(hex(inclusionProof(100, size, hashAt))).toEqual(hex(inclusionProofFromLeaves(100, leaves(size))));
    const short = hashAtFromTileNodes(size, (tile) => tileNodes(tilePath(tile) === 'tile/0/002.p/88' ? tiles.get('tile/0/002.p/88')!.subarray(32) : read(tile)!));
    expect(errorCode(() => inclusionProof(599, size, short))).toBe('bad-tile');
    expect(errorCode(() => tileNodes(new Uint8Array(33)))).toBe('bad-tile');
  });
});

describe('a tile stored with its interior', () => {
  test('gives back the same TileNodes as hashing the tile, for any full tile', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256 * 32, maxLength: 256 * 32 }), (hashes) => {
        const nodes = tileNodes(hashes);
        const interior = tileInterior(nodes);
        expect(interior.length).toBe(TILE_INTERIOR_SIZE);
        expect(tileNodesWithInterior(hashes, interior).map((level) => Buffer.from(level).toString('hex'))).toEqual(
          nodes.map((level) => Buffer.from(level).toString('hex')),
        );
      }),
      { numRuns: 20 },
    );
  });

  test('is only for full tiles, with an interior of the right length', () => {
    const { tiles } = readerFor(600);
    const full = tiles.get('tile/0/001')!;
    expect(errorCode(() => tileInterior(tileNodes(tiles.get('tile/0/002.p/88')!)))).toBe('bad-tile');
    expect(errorCode(() => tileNodesWithInterior(full, new Uint8Array(TILE_INTERIOR_SIZE - 32)))).toBe('bad-tile');
    expect(errorCode(() => tileNodesWithInterior(full.subarray(32), tileInterior(tileNodes(full))))).toBe('bad-tile');
  });
});

// A tree of 2^53 - 1 identical leaves, whose tiles are a repeated hash per level: checks that
// tile and subtree arithmetic holds far beyond 32 bits.
test('tiles of a tree of 2^53 - 1 leaves give the same root as its subtrees', () => {
  const levelHashes = [hashLeaf(Uint8Array.of(7))];
  for (let l = 1; l <= 56; l++) levelHashes.push(hashChildren(levelHashes[l - 1]!, levelHashes[l - 1]!));
  const read: ReadTile = (tile) => {
    const data = new Uint8Array(tile.width * 32);
    for (let i = 0; i < tile.width; i++) data.set(levelHashes[tile.level * 8]!, i * 32);
    return data;
  };
  for (const size of [2 ** 32 + 1, 2 ** 40 + 2 ** 33 + 77, Number.MAX_SAFE_INTEGER]) {
    expect(rootFromTiles(size, read)).toEqual(rootHash(size, (level) => levelHashes[level]!));
  }
  expect(tilesForTreeSize(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1)).toEqual([
    { level: 0, index: Math.floor(Number.MAX_SAFE_INTEGER / 256), width: 255 },
  ]);
});
