import { existsSync, readFileSync } from 'node:fs';
import { errorCode } from '../test-support/error-code.js';
import { listTestdataFiles, readTestdata, readTestdataText, testdataPath } from '../test-support/testdata.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { decodeEntryBundle } from './entry-bundles.js';
import { emptyRoot, hashLeaf, rootFromLeafHashes } from './hashing.js';
import { parseVerifierKey } from './note-keys.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification.js';
import { consistencyProof, inclusionProof } from './proofs.js';
import { entryBundlePath, tilePath } from './tile-paths.js';
import { hashAtFromTiles, rootFromTiles, tilesForTreeSize, type ReadTile } from './tiles.js';

// A log written by transparency-dev/tessera's POSIX example, none of it by this project:
// <repo>/../shared/testdata/tessera-log (see its README.md).

const README = readTestdataText('tessera-log', 'README.md');
const ORIGIN = /^Log origin: `([^`]+)`$/m.exec(README)?.[1];
const VKEY = /^Verifier key \(C2SP signed-note vkey\): `([^`]+)`$/m.exec(README)?.[1];
if (!ORIGIN || !VKEY) throw new Error('tessera-log/README.md no longer names the log origin and verifier key');
const verifier = parseVerifierKey(VKEY);
// The entries as the README lists them, appended one at a time.
const ENTRIES = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ');

const files = listTestdataFiles('tessera-log');
const checkpointFiles = files.filter((f) => /^checkpoint(\.\d+)?$/.test(f));

const readTile: ReadTile = (tile) => {
  const path = testdataPath('tessera-log') + '/' + tilePath(tile);
  return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
};

function open(file: string): Checkpoint {
  return openCheckpoint(readTestdata('tessera-log', file), [verifier], ORIGIN).checkpoint;
}

// checkpoint.N by size N, each opened with the log's key.
const checkpoints = new Map(
  checkpointFiles.filter((f) => f !== 'checkpoint').map((f) => [Number(f.slice('checkpoint.'.length)), open(f)]),
);
const sizes = [...checkpoints.keys()].sort((a, b) => a - b);
const rootAt = (size: number) => checkpoints.get(size)!.rootHash;

function entriesAt(size: number): Uint8Array[] {
  return tilesForTreeSize(size)
    .filter((t) => t.level === 0)
    .flatMap((t) => decodeEntryBundle(readTestdata('tessera-log', entryBundlePath(t.index, t.width)), t.width));
}

test('the README names the origin and verifier key, and there is a checkpoint for every size 0-15', () => {
  expect(ORIGIN).toBe('example.com/log/testdata');
  expect(verifier).toMatchObject({ name: ORIGIN, keyId: 0x33d7b496 });
  expect(sizes).toEqual(Array.from({ length: 16 }, (_, i) => i));
  expect(checkpointFiles).toContain('checkpoint');
});

test('every checkpoint is signed by the log key, for the tree size its file name says', () => {
  for (const [size, checkpoint] of checkpoints) {
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size, extensions: [] });
  }
  const latest = open('checkpoint');
  expect(latest.size).toBe(15);
  expect(readTestdataText('tessera-log', 'checkpoint')).toBe(readTestdataText('tessera-log', 'checkpoint.15'));
});

test('a checkpoint with its size changed no longer verifies', () => {
  const tampered = readTestdataText('tessera-log', 'checkpoint.15').replace('\n15\n', '\n14\n');
  expect(errorCode(() => openCheckpoint(tampered, [verifier], ORIGIN))).toBe('invalid-signature');
});

test('the tile files on disk are exactly the tiles and bundles of the checkpointed sizes', () => {
  const expected = new Set(
    sizes.flatMap((size) =>
      tilesForTreeSize(size).flatMap((t) => [tilePath(t), ...(t.level === 0 ? [entryBundlePath(t.index, t.width)] : [])]),
    ),
  );
  const onDisk = files.filter((f) => f.startsWith('tile/'));
  expect(onDisk.sort()).toEqual([...expected].sort());
});

test('every checkpoint root recomputes from the tiles and from the entry bundles', () => {
  expect(rootAt(0)).toEqual(emptyRoot());
  for (const size of sizes) {
    expect(rootFromTiles(size, readTile)).toEqual(rootAt(size));
    const entries = entriesAt(size);
    expect(entries.map((e) => new TextDecoder().decode(e))).toEqual(ENTRIES.slice(0, size));
    expect(rootFromLeafHashes(entries.map(hashLeaf))).toEqual(rootAt(size));
  }
});

test('each level-0 tile holds the leaf hashes of the matching entry bundle', () => {
  for (const size of sizes.filter((s) => s > 0)) {
    const [tile] = tilesForTreeSize(size);
    const hashes = entriesAt(size).map(hashLeaf);
    expect(Buffer.from(readTile(tile!)!)).toEqual(Buffer.concat(hashes));
  }
});

test('every entry is included in every checkpoint that covers it, with proofs from the tiles', () => {
  for (const size of sizes) {
    const hashAt = hashAtFromTiles(size, readTile);
    entriesAt(size).forEach((entry, index) => {
      const proof = inclusionProof(index, size, hashAt);
      verifyInclusion(index, size, hashLeaf(entry), proof, rootAt(size));
      expect(rootFromInclusionProof(index, size, hashLeaf(entry), proof)).toEqual(rootAt(size));
    });
  }
});

// The size-0 rule: checkpoint.0 is the empty tree, which needs no proof; every other pair is
// checked with a consistency proof built from the larger tree's tiles.
test('every pair of checkpoints is consistent', () => {
  let pairs = 0;
  for (const size1 of sizes.filter((s) => s > 0)) {
    for (const size2 of sizes.filter((s) => s >= size1)) {
      const proof = consistencyProof(size1, size2, hashAtFromTiles(size2, readTile));
      verifyConsistency(size1, size2, proof, rootAt(size1), rootAt(size2));
      pairs++;
    }
  }
  expect(pairs).toBe((15 * 16) / 2);
  expect(errorCode(() => verifyConsistency(0, 15, [], rootAt(0), rootAt(15)))).toBe('size-zero');
});
