import { sha256 } from '@noble/hashes/sha2.js';
import { errorCode } from '../test-support/error-code.js';
import { emptyRoot, hashChildren, hashLeaf, rootFromLeafHashes } from './hashing.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// The leaves and roots of the RFC 6962 test tree used by certificate-transparency and
// transparency-dev/merkle (whose 8-leaf root is also the root of merkle-vectors/inclusion/1).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 6962 hashing', () => {
  test('leaf and node hashes are domain-separated SHA-256', () => {
    const entry = Uint8Array.of(1, 2, 3);
    expect(hex(hashLeaf(entry))).toBe(hex(sha256(Uint8Array.of(0, 1, 2, 3))));
    const [a, b] = [hashLeaf(Uint8Array.of(1)), hashLeaf(Uint8Array.of(2))];
    expect(hex(hashChildren(a, b))).toBe(hex(sha256(Uint8Array.of(1, ...a, ...b))));
    expect(hex(hashChildren(a, b))).not.toBe(hex(hashChildren(b, a)));
  });

  test('the test tree has its known root at every size', () => {
    const leafHashes = LEAVES.map((h) => hashLeaf(Uint8Array.from(Buffer.from(h, 'hex'))));
    ROOTS.forEach((root, i) => expect(hex(rootFromLeafHashes(leafHashes.slice(0, i + 1)))).toBe(root));
    expect(hex(rootFromLeafHashes([]))).toBe(hex(emptyRoot()));
  });

  test('child hashes must be 32 bytes', () => {
    const h = hashLeaf(new Uint8Array(0));
    expect(errorCode(() => hashChildren(h, h.subarray(1)))).toBe('bad-hash-length');
    expect(errorCode(() => hashChildren(Uint8Array.of(...h, 0), h))).toBe('bad-hash-length');
    expect(errorCode(() => rootFromLeafHashes([h, new Uint8Array(0)]))).toBe('bad-hash-length');
  });
});
