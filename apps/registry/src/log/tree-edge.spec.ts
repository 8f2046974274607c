import { describe, expect, it } from '@jest/globals';
import { hashLeaf, rootFromLeafHashes, tilesFromLeafHashes } from '@custodia/tlog';
import fc from 'fast-check';
import { TreeEdge } from './tree-edge.js';

const leaves = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => hashLeaf(new TextEncoder().encode(`entry ${from + i}`)));

/** Grows a tree batch by batch, as the integrator does, collecting every tile it emits. */
function grow(batches: number[]) {
  let edge = TreeEdge.empty();
  const tiles = new Map<string, Uint8Array>();
  const all: Uint8Array[] = [];
  for (const count of batches) {
    const batch = leaves(all.length, count);
    all.push(...batch);
    const next = edge.extend(batch);
    for (const tile of next.fullTiles) {
      const key = `${tile.level}/${tile.index}`;
      expect(tiles.has(key)).toBe(false);
      tiles.set(key, tile.hashes);
    }
    edge = next.edge;
    expect(edge.size).toBe(all.length);
    if (all.length < 5000) expect(edge.root()).toEqual(rootFromLeafHashes(all));
  }
  expect(edge.root()).toEqual(rootFromLeafHashes(all));
  return { edge, tiles, all };
}

function expectFullTilesOf(all: Uint8Array[], tiles: Map<string, Uint8Array>) {
  const reference = tilesFromLeafHashes(all).filter((t) => t.tile.width === 256);
  expect([...tiles.keys()].sort()).toEqual(reference.map((t) => `${t.tile.level}/${t.tile.index}`).sort());
  for (const { tile, data } of reference) expect(tiles.get(`${tile.level}/${tile.index}`)).toEqual(data);
}

describe('the tree edge the integrator extends', () => {
  it('has the empty root with no leaves', () => {
    expect(TreeEdge.empty().root()).toEqual(rootFromLeafHashes([]));
  });

  it('gives the RFC 9162 root and the C2SP full tiles for any split into batches', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }), (batches) => {
        const { tiles, all } = grow(batches);
        expectFullTilesOf(all, tiles);
      }),
      { numRuns: 40 },
    );
  });

  it('crosses into a third tile level (65,536 leaves) in uneven batches', () => {
    const { tiles, all } = grow([65_000, 535, 1, 300]);
    expect(tiles.has('1/0')).toBe(true);
    expectFullTilesOf(all, tiles);
  });

  it('rebuilds from stored partial tiles to the same root and continues identically', () => {
    const { edge, all } = grow([700]);
    const starts = TreeEdge.partialStarts(700);
    const widths = TreeEdge.partialWidths(700);
    expect(starts).toEqual([512, 0]);
    expect(widths).toEqual([188, 2]);
    const level1 = tilesFromLeafHashes(all)
      .filter((t) => t.tile.level === 0 && t.tile.width === 256)
      .map((t) => rootFromLeafHashes(split(t.data)));
    const reloaded = TreeEdge.of(700, [all.slice(512, 700), level1]);
    expect(reloaded.root()).toEqual(edge.root());
    const more = leaves(700, 100);
    expect(reloaded.extend(more).edge.root()).toEqual(edge.extend(more).edge.root());
  });

  it('refuses partial tiles that do not fit the size', () => {
    expect(() => TreeEdge.of(3, [leaves(0, 2)])).toThrow('do not fit a tree of 3 leaves');
  });
});

function split(data: Uint8Array): Uint8Array[] {
  return Array.from({ length: data.length / 32 }, (_, i) => data.subarray(i * 32, i * 32 + 32));
}
