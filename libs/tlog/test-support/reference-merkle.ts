import { sha256 } from '@noble/hashes/sha2.js';

// RFC 6962 §2.1 transcribed literally, over the entries themselves (not their hashes), with
// slices and recursion and no shared code with the library: the reference the specs compare to.

function hash(...parts: (number[] | Uint8Array)[]): Uint8Array {
  const bytes: number[] = [];
  for (const p of parts) bytes.push(...p);
  return sha256(Uint8Array.from(bytes));
}

// "k is the largest power of two smaller than n (i.e., k < n <= 2k)".
function splitPoint(n: number): number {
  let k = 1;
  while (2 * k < n) k = 2 * k;
  return k;
}

export function referenceLeafHash(entry: Uint8Array): Uint8Array {
  return hash([0x00], entry);
}

// §2.1: MTH(D[n]).
export function referenceMth(d: readonly Uint8Array[]): Uint8Array {
  const n = d.length;
  if (n === 0) return hash([]);
  if (n === 1) return referenceLeafHash(d[0]!);
  const k = splitPoint(n);
  return hash([0x01], referenceMth(d.slice(0, k)), referenceMth(d.slice(k, n)));
}

// §2.1.1: PATH(m, D[n]).
export function referencePath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  const n = d.length;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...referencePath(m, d.slice(0, k)), referenceMth(d.slice(k, n))];
  return [...referencePath(m - k, d.slice(k, n)), referenceMth(d.slice(0, k))];
}

// §2.1.2: PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
export function referenceProof(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return referenceSubproof(m, d, true);
}

function referenceSubproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [referenceMth(d)];
  const k = splitPoint(n);
  if (m <= k) return [...referenceSubproof(m, d.slice(0, k), b), referenceMth(d.slice(k, n))];
  return [...referenceSubproof(m - k, d.slice(k, n), false), referenceMth(d.slice(0, k))];
}

// Distinct entries "entry 0", "entry 1", ...
export function makeEntries(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new TextEncoder().encode(`entry ${i}`));
}
