import { hash } from 'node:crypto';
import { isBytes } from './bytes.js';
import { TlogError } from './errors.js';
import { largestPowerOfTwoBelow } from './tree-math.js';

export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

export function assertHash(hash: Uint8Array, what: string): void {
  if (!isBytes(hash) || hash.length !== HASH_SIZE) {
    const got = isBytes(hash) ? `${hash.length} bytes` : typeof hash;
    throw new TlogError('bad-hash-length', `${what} must be ${HASH_SIZE} bytes, got ${got}`);
  }
}

// RFC 9162 §2.1.1: MTH({}) = SHA-256().
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

// RFC 9162 §2.1.1: MTH({d(0)}) = SHA-256(0x00 || d(0)).
export function hashLeaf(entry: Uint8Array): Uint8Array {
  const input = scratch(1 + entry.length);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return sha256(input);
}

// RFC 9162 §2.1.1: SHA-256(0x01 || MTH(left) || MTH(right)).
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertHash(left, 'left child hash');
  assertHash(right, 'right child hash');
  const input = scratch(1 + 2 * HASH_SIZE);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256(input);
}

// RFC 9162 §2.1.1: the Merkle Tree Hash of a list of leaves, given their leaf hashes.
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  leafHashes.forEach((h, i) => assertHash(h, `leaf hash ${i}`));
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

function subtreeRoot(leafHashes: readonly Uint8Array[], start: number, size: number): Uint8Array {
  if (size === 0) return emptyRoot();
  if (size === 1) return leafHashes[start]!;
  const k = largestPowerOfTwoBelow(size);
  return hashChildren(subtreeRoot(leafHashes, start, k), subtreeRoot(leafHashes, start + k, size - k));
}

// SHA-256 from the platform's OpenSSL (node:crypto): independent of the service's code, like the
// @noble Ed25519 used for signatures, and several times faster per call than SHA-256 in
// JavaScript, which is what a verifier hashing millions of small inputs pays for (bench:log).
// The one-shot crypto.hash, not createHash: each Hash object createHash makes is a native
// object the garbage collector must finalise, and a proof or a verification makes hundreds of
// thousands of them. In the service that made every young-generation collection a 15–20 ms
// pause (bench/RESULTS.md, "Proofs"); crypto.hash leaves nothing to finalise.
function sha256(input: Uint8Array): Uint8Array {
  const digest = hash('sha256', input, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

// Every hash's input is built in one buffer, reused: crypto.hash reads it before returning, and
// a verifier allocating a buffer per entry spent a fifth of its time making buffer pools.
let inputBuffer = Buffer.allocUnsafeSlow(1024);
function scratch(length: number): Buffer {
  if (inputBuffer.length < length) inputBuffer = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(length)));
  return inputBuffer.subarray(0, length);
}
