import { TlogError } from './errors.js';
import { HASH_SIZE } from './hashing.js';
import { hashAtFromLeaves, rangeHash, type HashAt, type Subtree } from './subtrees.js';
import { assertTreeNumber, largestPowerOfTwoBelow } from './tree-math.js';

// RFC 9162 §2.1.3.1: the inclusion proof (audit path) of leaf `index` in the tree of `size`
// leaves, deepest sibling first.
export function inclusionProof(index: number, size: number, hashAt: HashAt): Uint8Array[] {
  assertInclusionArgs(index, size);
  return path(index, 0, size, hashAt);
}

export function inclusionProofFromLeaves(index: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return inclusionProof(index, leafHashes.length, hashAtFromLeaves(leafHashes));
}

// RFC 9162 §2.1.4.1: the consistency proof between the trees of size1 and size2 leaves.
// A proof from size 0 is refused ('size-zero'): RFC 9162 §2.1.4.2 needs 0 < size1, and the
// empty tree is a prefix of every tree, so there is nothing to prove. A verifier whose last
// checkpoint had size 0 checks that its root is emptyRoot() and accepts any later tree.
export function consistencyProof(size1: number, size2: number, hashAt: HashAt): Uint8Array[] {
  assertConsistencyArgs(size1, size2);
  return subproof(size1, 0, size2, true, hashAt);
}

export function consistencyProofFromLeaves(size1: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return consistencyProof(size1, leafHashes.length, hashAtFromLeaves(leafHashes));
}

// The complete subtrees whose hashes inclusionProof asks of its HashAt, so a server can fetch
// exactly those (or the tiles holding them) before generating the proof.
export function inclusionProofSubtrees(index: number, size: number): Subtree[] {
  return recordSubtrees((hashAt) => inclusionProof(index, size, hashAt));
}

export function consistencyProofSubtrees(size1: number, size2: number): Subtree[] {
  return recordSubtrees((hashAt) => consistencyProof(size1, size2, hashAt));
}

export function assertInclusionArgs(index: number, size: number): void {
  assertTreeNumber(index, 'leaf index');
  assertTreeNumber(size, 'tree size');
  if (index >= size) {
    throw new TlogError('index-out-of-range', `leaf index ${index} is not below tree size ${size}`);
  }
}

export function assertConsistencyArgs(size1: number, size2: number): void {
  assertTreeNumber(size1, 'size1');
  assertTreeNumber(size2, 'size2');
  if (size1 > size2) throw new TlogError('sizes-out-of-order', `size1 ${size1} is greater than size2 ${size2}`);
  if (size1 === 0) throw new TlogError('size-zero', 'no consistency proof exists from the empty tree (size1 = 0)');
}

// RFC 9162 §2.1.3.1 PATH(m, D[start:start+n]), with m relative to start.
function path(m: number, start: number, n: number, hashAt: HashAt): Uint8Array[] {
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...path(m, start, k, hashAt), rangeHash(start + k, n - k, hashAt)];
  return [...path(m - k, start + k, n - k, hashAt), rangeHash(start, k, hashAt)];
}

// RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:start+n], b), with m relative to start.
function subproof(m: number, start: number, n: number, complete: boolean, hashAt: HashAt): Uint8Array[] {
  if (m === n) return complete ? [] : [rangeHash(start, n, hashAt)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...subproof(m, start, k, complete, hashAt), rangeHash(start + k, n - k, hashAt)];
  return [...subproof(m - k, start + k, n - k, false, hashAt), rangeHash(start, k, hashAt)];
}

function recordSubtrees(generate: (hashAt: HashAt) => unknown): Subtree[] {
  const seen: Subtree[] = [];
  generate((level, index) => {
    seen.push({ level, index });
    return new Uint8Array(HASH_SIZE);
  });
  return seen;
}
