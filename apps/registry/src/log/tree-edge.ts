import {
  HASH_SIZE,
  rootFromTiles,
  TILE_WIDTH,
  type TileCoord,
  tileNodes,
  type TileNodes,
} from '@custodia/tlog';

/**
 * A full C2SP hash tile: 256 hashes, immutable once written, its Merkle root, and the hashes of
 * every subtree inside it (computed on the way to the root; proofs read them).
 */
export interface FullTile {
  level: number;
  index: number;
  hashes: Uint8Array;
  root: Uint8Array;
  nodes: TileNodes;
}

/**
 * The right edge of the Merkle tree: at each tile level, the hashes of the partial tile not yet
 * full. That is all the integrator needs to extend the tree and compute its root: the full tiles
 * to its left never change again (C2SP tlog-tiles).
 */
export class TreeEdge {
  private constructor(
    readonly size: number,
    private readonly partial: readonly (readonly Uint8Array[])[],
  ) {}

  static empty(): TreeEdge {
    return new TreeEdge(0, []);
  }

  /**
   * The edge of a tree of `size` leaves, given the hashes of each level's partial tile
   * (level 0: leaf hashes; level L: roots of the full tiles one level down).
   */
  static of(size: number, partial: Uint8Array[][]): TreeEdge {
    const expected = TreeEdge.partialWidths(size);
    if (partial.length !== expected.length || partial.some((hashes, level) => hashes.length !== expected[level])) {
      throw new Error(`the partial tiles do not fit a tree of ${size} leaves`);
    }
    return new TreeEdge(size, partial);
  }

  /** Where each level's partial tile starts and how wide it is, for a tree of `size` leaves. */
  static partialWidths(size: number): number[] {
    const widths: number[] = [];
    for (let count = size; count > 0; count = Math.floor(count / TILE_WIDTH)) widths.push(count % TILE_WIDTH);
    return widths;
  }

  /** The first hash index of each level's partial tile (a multiple of 256). */
  static partialStarts(size: number): number[] {
    const starts: number[] = [];
    for (let count = size; count > 0; count = Math.floor(count / TILE_WIDTH)) {
      starts.push(count - (count % TILE_WIDTH));
    }
    return starts;
  }

  /** Appends leaves; returns the new edge and the tiles that became full (lower levels first). */
  extend(leafHashes: readonly Uint8Array[]): { edge: TreeEdge; fullTiles: FullTile[] } {
    const partial = this.partial.map((hashes) => [...hashes]);
    const counts = TreeEdge.levelCounts(this.size);
    const fullTiles: FullTile[] = [];
    const push = (level: number, hash: Uint8Array): void => {
      partial[level] ??= [];
      counts[level] = (counts[level] ?? 0) + 1;
      partial[level].push(hash);
      if (partial[level].length < TILE_WIDTH) return;
      const hashes = concat(partial[level]);
      const nodes = tileNodes(hashes);
      const root = nodes[nodes.length - 1]!;
      fullTiles.push({ level, index: counts[level] / TILE_WIDTH - 1, hashes, root, nodes });
      partial[level] = [];
      push(level + 1, root);
    };
    for (const leaf of leafHashes) {
      if (leaf.length !== HASH_SIZE) throw new Error('a leaf hash must be 32 bytes');
      push(0, leaf);
    }
    return { edge: new TreeEdge(this.size + leafHashes.length, partial), fullTiles };
  }

  /** RFC 9162 MTH of the whole tree, from the partial tiles alone. */
  root(): Uint8Array {
    const starts = TreeEdge.partialStarts(this.size);
    return rootFromTiles(this.size, (tile: TileCoord) => {
      const hashes = this.partial[tile.level];
      const isEdge = hashes && tile.index * TILE_WIDTH === starts[tile.level] && tile.width === hashes.length;
      return isEdge ? concat(hashes) : undefined;
    });
  }

  private static levelCounts(size: number): number[] {
    const counts: number[] = [];
    for (let count = size; count > 0; count = Math.floor(count / TILE_WIDTH)) counts.push(count);
    return counts;
  }
}

function concat(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => out.set(hash, i * HASH_SIZE));
  return out;
}
