import { errorCode } from '../test-support/error-code.js';
import { fromBase64, listTestdataFiles, readTestdataText } from '../test-support/testdata.js';
import type { TlogErrorCode } from './errors.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification.js';

// Known-answer vectors from transparency-dev/merkle in <repo>/../shared/testdata/merkle-vectors.

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

// The one vector this library rejects on purpose: it calls two 12-byte "roots" consistent because
// they are equal at equal sizes (transparency-dev/merkle only compares the bytes). Here a root that
// is not a 32-byte SHA-256 hash is always refused, so a caller bug cannot pass as a valid check.
const STRICTER_THAN_VECTORS: Record<string, TlogErrorCode> = {
  'consistency/additional/sizes-are-equal-one-and-proof-is-empty.json': 'bad-hash-length',
};

function load<T>(kind: string): [string, T][] {
  return listTestdataFiles('merkle-vectors', kind)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [`${kind}/${f}`, JSON.parse(readTestdataText('merkle-vectors', kind, f)) as T]);
}

const inclusion = load<InclusionVector>('inclusion');
const consistency = load<ConsistencyVector>('consistency');

test('the vector folders are found and hold both kinds, with accepting and rejecting cases', () => {
  for (const vectors of [inclusion, consistency]) {
    expect(vectors.length).toBeGreaterThan(50);
    expect(vectors.some(([, v]) => !v.wantErr)).toBe(true);
    expect(vectors.some(([, v]) => v.wantErr)).toBe(true);
  }
  for (const name of Object.keys(STRICTER_THAN_VECTORS)) {
    expect(consistency.map(([f]) => f)).toContain(name);
  }
});

describe.each(inclusion)('inclusion vector %s', (_name, v) => {
  const run = () =>
    verifyInclusion(v.leafIdx, v.treeSize, fromBase64(v.leafHash), (v.proof ?? []).map(fromBase64), fromBase64(v.root));

  if (v.wantErr) {
    test(`rejects: ${v.desc}`, () => {
      expect(errorCode(run)).toBeDefined();
    });
  } else {
    test(`accepts: ${v.desc}`, () => {
      expect(run).not.toThrow();
      const root = rootFromInclusionProof(v.leafIdx, v.treeSize, fromBase64(v.leafHash), (v.proof ?? []).map(fromBase64));
      expect(Buffer.from(root).toString('base64')).toBe(v.root);
    });
  }
});

describe.each(consistency)('consistency vector %s', (name, v) => {
  const run = () => verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(fromBase64), fromBase64(v.root1), fromBase64(v.root2));
  const stricter = STRICTER_THAN_VECTORS[name];

  if (stricter) {
    test(`rejects on purpose (${stricter}) although the vector accepts: ${v.desc}`, () => {
      expect(v.wantErr).toBe(false);
      expect(errorCode(run)).toBe(stricter);
    });
  } else if (v.wantErr) {
    test(`rejects: ${v.desc}`, () => {
      expect(errorCode(run)).toBeDefined();
    });
  } else {
    test(`accepts: ${v.desc}`, () => {
      expect(run).not.toThrow();
    });
  }
});

// The size-0 rule, as these vectors have it: no consistency proof from the empty tree, not even
// to itself.
test('every consistency vector with size1 = 0 is rejected as size-zero', () => {
  const fromZero = consistency.filter(([, v]) => v.size1 === 0);
  expect(fromZero.length).toBeGreaterThan(3);
  for (const [, v] of fromZero) {
    const code = errorCode(() =>
      verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(fromBase64), fromBase64(v.root1), fromBase64(v.root2)),
    );
    expect(v.wantErr).toBe(true);
    expect(code).toBe('size-zero');
  }
});
