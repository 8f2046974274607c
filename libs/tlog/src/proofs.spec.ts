import fc from 'fast-check';
import { errorCode } from '../test-support/error-code.js';
import { makeEntries, referenceLeafHash, referenceMth, referencePath, referenceProof } from '../test-support/reference-merkle.js';
import { emptyRoot, hashChildren, rootFromLeafHashes } from './hashing.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification.js';
import {
  consistencyProof,
  consistencyProofFromLeaves,
  consistencyProofSubtrees,
  inclusionProof,
  inclusionProofFromLeaves,
  inclusionProofSubtrees,
} from './proofs.js';
import { hashAtFromLeaves, rootHash, type HashAt } from './subtrees.js';

const MAX_SIZE = 400;
const entries = makeEntries(MAX_SIZE);
const leafHashes = entries.map(referenceLeafHash);
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, n) => referenceMth(entries.slice(0, n)));
const leaves = (n: number) => leafHashes.slice(0, n);

const hex = (hashes: Uint8Array[]) => hashes.map((h) => Buffer.from(h).toString('hex'));

function flipBit(hashes: Uint8Array[], which: number, bit: number): Uint8Array[] {
  return hashes.map((h, i) => {
    if (i !== which) return h;
    const copy = h.slice();
    copy[Math.floor(bit / 8)]! ^= 1 << bit % 8;
    return copy;
  });
}

const sizeAndIndex = fc.integer({ min: 1, max: MAX_SIZE }).chain((size) =>
  fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }),
);
const twoSizes = fc.integer({ min: 1, max: MAX_SIZE }).chain((size2) =>
  fc.record({ size1: fc.integer({ min: 1, max: size2 }), size2: fc.constant(size2) }),
);

describe('roots', () => {
  test('the empty tree hashes to SHA-256 of nothing', () => {
    expect(Buffer.from(emptyRoot()).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootHash(0, hashAtFromLeaves([]))).toEqual(emptyRoot());
  });

  test('every size up to the maximum has the RFC 6962 root, from leaves and from subtree hashes', () => {
    for (let n = 0; n <= MAX_SIZE; n++) {
      expect(rootFromLeafHashes(leaves(n))).toEqual(roots[n]);
      expect(rootHash(n, hashAtFromLeaves(leaves(n)))).toEqual(roots[n]);
    }
  });

  test('hashes that are not 32 bytes are refused', () => {
    expect(errorCode(() => hashChildren(new Uint8Array(31), new Uint8Array(32)))).toBe('bad-hash-length');
    expect(errorCode(() => rootFromLeafHashes([new Uint8Array(32), new Uint8Array(33)]))).toBe('bad-hash-length');
    expect(errorCode(() => rootHash(3, () => new Uint8Array(16)))).toBe('bad-hash-length');
  });
});

describe('inclusion proofs', () => {
  test('equal the RFC 6962 PATH for every index of every tree up to 40 leaves', () => {
    for (let size = 1; size <= 40; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProofFromLeaves(index, leaves(size));
        expect(hex(proof)).toEqual(hex(referencePath(index, entries.slice(0, size))));
        verifyInclusion(index, size, leafHashes[index]!, proof, roots[size]!);
      }
    }
  });

  test('equal the RFC 6962 PATH and verify, for random trees up to 400 leaves', () => {
    fc.assert(
      fc.property(sizeAndIndex, ({ size, index }) => {
        const proof = inclusionProofFromLeaves(index, leaves(size));
        expect(hex(proof)).toEqual(hex(referencePath(index, entries.slice(0, size))));
        expect(rootFromInclusionProof(index, size, leafHashes[index]!, proof)).toEqual(roots[size]);
        expect(() => verifyInclusion(index, size, leafHashes[index]!, proof, roots[size]!)).not.toThrow();
      }),
    );
  });

  test('are rejected with any single bit of the proof, leaf hash or root flipped', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size, index }, pick, bit) => {
        const proof = inclusionProofFromLeaves(index, leaves(size));
        const leaf = leafHashes[index]!;
        if (proof.length > 0) {
          const bad = flipBit(proof, pick % proof.length, bit);
          expect(errorCode(() => verifyInclusion(index, size, leaf, bad, roots[size]!))).toBe('root-mismatch');
        }
        const [badLeaf] = flipBit([leaf], 0, bit);
        expect(errorCode(() => verifyInclusion(index, size, badLeaf!, proof, roots[size]!))).toBe('root-mismatch');
        const [badRoot] = flipBit([roots[size]!], 0, bit);
        expect(errorCode(() => verifyInclusion(index, size, leaf, proof, badRoot!))).toBe('root-mismatch');
      }),
    );
  });

  test('are rejected for any other index, in or beyond the tree', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 0, max: 2 * MAX_SIZE }), ({ size, index }, other) => {
        fc.pre(other !== index);
        const proof = inclusionProofFromLeaves(index, leaves(size));
        const code = errorCode(() => verifyInclusion(other, size, leafHashes[index]!, proof, roots[size]!));
        if (other >= size) expect(code).toBe('index-out-of-range');
        else expect(code).toMatch(/^(root-mismatch|proof-length)$/);
      }),
    );
  });

  test('are rejected for any other tree size, against that size’s root', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 1, max: MAX_SIZE }), ({ size, index }, other) => {
        fc.pre(other !== size && index < other);
        const proof = inclusionProofFromLeaves(index, leaves(size));
        expect(errorCode(() => verifyInclusion(index, other, leafHashes[index]!, proof, roots[other]!))).toMatch(
          /^(root-mismatch|proof-length)$/,
        );
      }),
    );
  });

  // RFC 9162 §2.1.3.2 checks a proof against a root, and the root alone fixes the tree: the
  // 2-hash proof of leaf 0 in 3 leaves also "verifies" leaf 0 in 4 leaves when handed the
  // 3-leaf root. Callers must take root and size together from one checkpoint.
  test('bind the leaf to the root, not to the claimed size', () => {
    const proof = inclusionProofFromLeaves(0, leaves(3));
    expect(() => verifyInclusion(0, 4, leafHashes[0]!, proof, roots[3]!)).not.toThrow();
    expect(errorCode(() => verifyInclusion(0, 4, leafHashes[0]!, proof, roots[4]!))).toBe('root-mismatch');
  });

  test('are rejected with a hash added or removed', () => {
    fc.assert(
      fc.property(sizeAndIndex, ({ size, index }) => {
        const proof = inclusionProofFromLeaves(index, leaves(size));
        const longer = [...proof, roots[size]!];
        expect(errorCode(() => verifyInclusion(index, size, leafHashes[index]!, longer, roots[size]!))).toBe('proof-length');
        if (proof.length > 0) {
          const shorter = proof.slice(0, -1);
          expect(errorCode(() => verifyInclusion(index, size, leafHashes[index]!, shorter, roots[size]!))).toBe('proof-length');
        }
      }),
    );
  });

  test('need only the subtrees inclusionProofSubtrees lists', () => {
    fc.assert(
      fc.property(sizeAndIndex, ({ size, index }) => {
        const allowed = new Set(inclusionProofSubtrees(index, size).map((s) => `${s.level}/${s.index}`));
        const full = hashAtFromLeaves(leaves(size));
        const restricted: HashAt = (level, i) => {
          if (!allowed.has(`${level}/${i}`)) throw new Error(`unlisted subtree ${level}/${i}`);
          return full(level, i);
        };
        expect(hex(inclusionProof(index, size, restricted))).toEqual(hex(inclusionProofFromLeaves(index, leaves(size))));
      }),
    );
  });

  test('refuse indexes outside the tree and sizes that are not safe non-negative integers', () => {
    expect(errorCode(() => inclusionProofFromLeaves(3, leaves(3)))).toBe('index-out-of-range');
    expect(errorCode(() => inclusionProofFromLeaves(0, []))).toBe('index-out-of-range');
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(errorCode(() => verifyInclusion(bad, 10, leafHashes[0]!, [], roots[1]!))).toBe('invalid-number');
      expect(errorCode(() => verifyInclusion(0, bad, leafHashes[0]!, [], roots[1]!))).toBe('invalid-number');
    }
  });
});

describe('consistency proofs', () => {
  test('equal the RFC 6962 PROOF for every pair of sizes up to 40 leaves', () => {
    for (let size2 = 1; size2 <= 40; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = consistencyProofFromLeaves(size1, leaves(size2));
        expect(hex(proof)).toEqual(hex(referenceProof(size1, entries.slice(0, size2))));
        verifyConsistency(size1, size2, proof, roots[size1]!, roots[size2]!);
      }
    }
  });

  test('equal the RFC 6962 PROOF and verify, for random trees up to 400 leaves', () => {
    fc.assert(
      fc.property(twoSizes, ({ size1, size2 }) => {
        const proof = consistencyProofFromLeaves(size1, leaves(size2));
        expect(hex(proof)).toEqual(hex(referenceProof(size1, entries.slice(0, size2))));
        expect(() => verifyConsistency(size1, size2, proof, roots[size1]!, roots[size2]!)).not.toThrow();
      }),
    );
  });

  test('are rejected with any single bit of the proof or either root flipped', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size1, size2 }, pick, bit) => {
        const proof = consistencyProofFromLeaves(size1, leaves(size2));
        const [r1, r2] = [roots[size1]!, roots[size2]!];
        if (proof.length > 0) {
          const bad = flipBit(proof, pick % proof.length, bit);
          expect(errorCode(() => verifyConsistency(size1, size2, bad, r1, r2))).toBe('root-mismatch');
        }
        const [bad1] = flipBit([r1], 0, bit);
        const [bad2] = flipBit([r2], 0, bit);
        expect(errorCode(() => verifyConsistency(size1, size2, proof, bad1!, r2))).toBe('root-mismatch');
        expect(errorCode(() => verifyConsistency(size1, size2, proof, r1, bad2!))).toBe('root-mismatch');
      }),
    );
  });

  // An empty proof between equal sizes is valid for any equal sizes, hence size1 < size2 here.
  test('are rejected for any other pair of sizes, against those sizes’ roots', () => {
    fc.assert(
      fc.property(twoSizes, twoSizes, (real, other) => {
        fc.pre(real.size1 < real.size2 && (real.size1 !== other.size1 || real.size2 !== other.size2));
        const proof = consistencyProofFromLeaves(real.size1, leaves(real.size2));
        const code = errorCode(() =>
          verifyConsistency(other.size1, other.size2, proof, roots[other.size1]!, roots[other.size2]!),
        );
        expect(code).toMatch(/^(root-mismatch|proof-length)$/);
      }),
    );
  });

  test('are rejected with the roots swapped, or with a hash added or removed', () => {
    fc.assert(
      fc.property(twoSizes, ({ size1, size2 }) => {
        fc.pre(size1 < size2);
        const proof = consistencyProofFromLeaves(size1, leaves(size2));
        const [r1, r2] = [roots[size1]!, roots[size2]!];
        expect(errorCode(() => verifyConsistency(size1, size2, proof, r2, r1))).toBe('root-mismatch');
        expect(errorCode(() => verifyConsistency(size1, size2, [...proof, r2], r1, r2))).toBe('proof-length');
        expect(errorCode(() => verifyConsistency(size1, size2, proof.slice(0, -1), r1, r2))).toBe('proof-length');
      }),
    );
  });

  test('need only the subtrees consistencyProofSubtrees lists', () => {
    fc.assert(
      fc.property(twoSizes, ({ size1, size2 }) => {
        const allowed = new Set(consistencyProofSubtrees(size1, size2).map((s) => `${s.level}/${s.index}`));
        const full = hashAtFromLeaves(leaves(size2));
        const restricted: HashAt = (level, i) => {
          if (!allowed.has(`${level}/${i}`)) throw new Error(`unlisted subtree ${level}/${i}`);
          return full(level, i);
        };
        expect(hex(consistencyProof(size1, size2, restricted))).toEqual(hex(consistencyProofFromLeaves(size1, leaves(size2))));
      }),
    );
  });

  test('between equal sizes is empty and needs equal roots', () => {
    expect(consistencyProofFromLeaves(7, leaves(7))).toEqual([]);
    expect(() => verifyConsistency(7, 7, [], roots[7]!, roots[7]!)).not.toThrow();
    expect(errorCode(() => verifyConsistency(7, 7, [], roots[7]!, roots[6]!))).toBe('root-mismatch');
    expect(errorCode(() => verifyConsistency(7, 7, [roots[7]!], roots[7]!, roots[7]!))).toBe('proof-length');
  });

  // The size-0 rule (RFC 9162 §2.1.4.2 needs 0 < size1; the transparency-dev vectors agree):
  // there is no consistency proof from the empty tree, to any size including 0.
  test('from size 0 are neither generated nor accepted', () => {
    expect(errorCode(() => consistencyProofFromLeaves(0, leaves(5)))).toBe('size-zero');
    expect(errorCode(() => consistencyProofFromLeaves(0, []))).toBe('size-zero');
    expect(errorCode(() => verifyConsistency(0, 5, [], emptyRoot(), roots[5]!))).toBe('size-zero');
    expect(errorCode(() => verifyConsistency(0, 0, [], emptyRoot(), emptyRoot()))).toBe('size-zero');
  });

  test('refuse size1 > size2 and sizes that are not safe non-negative integers', () => {
    expect(errorCode(() => consistencyProofFromLeaves(6, leaves(5)))).toBe('sizes-out-of-order');
    expect(errorCode(() => verifyConsistency(6, 5, [], roots[6]!, roots[5]!))).toBe('sizes-out-of-order');
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 53]) {
      expect(errorCode(() => verifyConsistency(bad, 10, [], roots[1]!, roots[1]!))).toBe('invalid-number');
      expect(errorCode(() => verifyConsistency(1, bad, [], roots[1]!, roots[1]!))).toBe('invalid-number');
    }
  });
});

// A tree of 2^53 - 1 identical leaves: every complete subtree at one level has the same hash, so
// a HashAt is one hash per level and proofs over huge sizes are cheap. Any 32-bit shortcut in the
// index arithmetic would produce a different tree shape and fail these.
describe('sizes up to 2^53 - 1', () => {
  const levelHashes = [referenceLeafHash(new Uint8Array([42]))];
  for (let l = 1; l <= 53; l++) levelHashes.push(hashChildren(levelHashes[l - 1]!, levelHashes[l - 1]!));
  const uniform: HashAt = (level) => levelHashes[level]!;
  const huge = Number.MAX_SAFE_INTEGER;

  test('inclusion proofs for indexes across the range verify against the root', () => {
    const root = rootHash(huge, uniform);
    for (const index of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 52 + 12345, huge - 1]) {
      const proof = inclusionProof(index, huge, uniform);
      expect(() => verifyInclusion(index, huge, levelHashes[0]!, proof, root)).not.toThrow();
    }
  });

  test('consistency proofs between sizes across the range verify', () => {
    const sizes = [1, 3, 2 ** 31 + 1, 2 ** 32, 2 ** 32 + 3, 2 ** 40 - 1, 2 ** 52 + 7, huge - 1, huge];
    for (const size1 of sizes) {
      for (const size2 of sizes.filter((s) => s >= size1)) {
        const proof = consistencyProof(size1, size2, uniform);
        expect(() => verifyConsistency(size1, size2, proof, rootHash(size1, uniform), rootHash(size2, uniform))).not.toThrow();
      }
    }
  });

  test('distinct sizes above 2^32 have distinct roots', () => {
    expect(rootHash(2 ** 32 + 1, uniform)).not.toEqual(rootHash(1, uniform));
    expect(rootHash(huge, uniform)).not.toEqual(rootHash(huge - 1, uniform));
  });
});
