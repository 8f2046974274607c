import { TlogError } from './errors.js';
import { assertHash, emptyRoot, hashChildren, rootFromLeafHashes } from './hashing.js';
import { assertTreeNumber, isPowerOfTwo, largestPowerOfTwoBelow } from './tree-math.js';

// A complete subtree: the 2^level leaves [index * 2^level, (index + 1) * 2^level).
export interface Subtree {
  level: number;
  index: number;
}

// Returns the hash of a complete subtree (level 0: the leaf hash). Proofs and roots are built
// from these alone, so a server can answer from stored tiles without holding every leaf.
export type HashAt = (level: number, index: number) => Uint8Array;

export function hashAtFromLeaves(leafHashes: readonly Uint8Array[]): HashAt {
  return (level, index) => {
    const width = 2 ** level;
    const start = index * width;
    if (start + width > leafHashes.length) {
      throw new TlogError(
        'index-out-of-range',
        `subtree at level ${level} index ${index} needs ${start + width} leaves, have ${leafHashes.length}`,
      );
    }
    return rootFromLeafHashes(leafHashes.slice(start, start + width));
  };
}

// RFC 9162 §2.1.1: MTH(D[0:size]).
export function rootHash(size: number, hashAt: HashAt): Uint8Array {
  assertTreeNumber(size, 'tree size');
  return size === 0 ? emptyRoot() : rangeHash(0, size, hashAt);
}

// MTH(D[start:start+size]) for size > 0 and start a multiple of the smallest power of two
// >= size. Every range the RFC 9162 §2.1 recursions visit has that shape, so it splits into
// complete subtrees: a power-of-two range is one, otherwise split at the largest power of two.
export function rangeHash(start: number, size: number, hashAt: HashAt): Uint8Array {
  if (isPowerOfTwo(size)) return subtreeHash({ level: log2(size), index: start / size }, hashAt);
  const k = largestPowerOfTwoBelow(size);
  return hashChildren(rangeHash(start, k, hashAt), rangeHash(start + k, size - k, hashAt));
}

function subtreeHash(subtree: Subtree, hashAt: HashAt): Uint8Array {
  const hash = hashAt(subtree.level, subtree.index);
  assertHash(hash, `hash of subtree at level ${subtree.level} index ${subtree.index}`);
  return hash;
}

function log2(powerOfTwo: number): number {
  let level = 0;
  for (let n = powerOfTwo; n > 1; n /= 2) level++;
  return level;
}
