import { equalBytes } from './bytes.js';
import { TlogError } from './errors.js';
import { assertHash, hashChildren } from './hashing.js';
import { assertConsistencyArgs, assertInclusionArgs } from './proofs.js';
import { half, isOdd, isPowerOfTwo } from './tree-math.js';

// RFC 9162 §2.1.3.2: the root that an inclusion proof leads to. Throws a TlogError when the
// arguments or the proof's length cannot describe leaf `index` of a tree of `size` leaves.
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  assertInclusionArgs(index, size);
  assertHash(leafHash, 'leaf hash');
  proof.forEach((h, i) => assertHash(h, `proof hash ${i}`));

  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw proofLength(`inclusion proof for index ${index} in size ${size} is too long`);
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw proofLength(`inclusion proof for index ${index} in size ${size} is too short`);
  return r;
}

// RFC 9162 §2.1.3.2: throws a TlogError unless `proof` shows leaf `index` with `leafHash` is
// in the tree of `size` leaves whose root is `root`.
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, 'root');
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!equalBytes(computed, root)) {
    throw new TlogError('root-mismatch', `inclusion proof for index ${index} in size ${size} does not lead to the root`);
  }
}

// RFC 9162 §2.1.4.2: throws a TlogError unless `proof` shows the tree of size1 leaves with
// root1 is a prefix of the tree of size2 leaves with root2. size1 = 0 is always refused
// ('size-zero', see consistencyProof); equal sizes need an empty proof and equal roots.
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertConsistencyArgs(size1, size2);
  assertHash(root1, 'root1');
  assertHash(root2, 'root2');
  proof.forEach((h, i) => assertHash(h, `proof hash ${i}`));

  if (size1 === size2) {
    if (proof.length > 0) throw proofLength(`consistency proof between equal sizes ${size1} must be empty`);
    if (!equalBytes(root1, root2)) throw new TlogError('root-mismatch', `roots differ for the same size ${size1}`);
    return;
  }
  if (proof.length === 0) throw proofLength(`consistency proof from ${size1} to ${size2} is empty`);

  // When size1 is a power of two its root is a node of the larger tree and is left out of
  // the proof; the verifier puts it back at the front.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw proofLength(`consistency proof from ${size1} to ${size2} is too long`);
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw proofLength(`consistency proof from ${size1} to ${size2} is too short`);
  if (!equalBytes(fr, root1)) throw new TlogError('root-mismatch', `consistency proof does not lead to root1`);
  if (!equalBytes(sr, root2)) throw new TlogError('root-mismatch', `consistency proof does not lead to root2`);
}

function proofLength(message: string): TlogError {
  return new TlogError('proof-length', message);
}
