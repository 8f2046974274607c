import { describe, expect, it } from '@jest/globals';
import { generateNoteKey, openCheckpoint, parseVerifierKey, rootFromLeafHashes, type Checkpoint } from '@custodia/tlog';
import { VerificationFailure } from './failure.js';
import { buildLog, type FakeLog } from './testing/fake-registry.js';
import type { TileSource } from './tile-source.js';
import { verifyTree } from './verify-tree.js';

const KEY = generateNoteKey('tree.test/log', new Uint8Array(32).fill(5));
const entries = (count: number) => Array.from({ length: count }, (_, i) => new TextEncoder().encode(`entry ${i}`));

function memorySource(log: FakeLog): TileSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (path) => {
      reads.push(path);
      return log.files.get(path);
    },
    locate: (path) => `memory:${path}`,
  };
}

function checkpointOf(log: FakeLog): Checkpoint {
  return openCheckpoint(log.files.get('checkpoint')!, [parseVerifierKey(log.verifierKey)]).checkpoint;
}

async function failureOf(work: Promise<unknown>): Promise<VerificationFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof VerificationFailure) return error;
    throw error;
  }
  throw new Error('expected the verification to fail');
}

describe('verifying the tree behind a checkpoint', () => {
  it('reads the full tile and bundle when the partial ones of an older size are gone', async () => {
    // The log is at 256 now and keeps no partial tiles; a verifier holding its checkpoint at 200 asks for 000.p/200.
    const now = buildLog(KEY.signerKey, entries(256));
    const then = checkpointOf(buildLog(KEY.signerKey, entries(200)));
    const source = memorySource(now);
    const tree = await verifyTree(source, then, { entries: true });
    expect(tree.entriesChecked).toBe(200);
    expect(source.reads).toEqual(['tile/0/000.p/200', 'tile/0/000', 'tile/entries/000.p/200', 'tile/entries/000']);
  });

  it('checks only the bundles past what an earlier pass checked', async () => {
    const log = buildLog(KEY.signerKey, entries(700));
    const source = memorySource(log);
    await verifyTree(source, checkpointOf(log), { entries: true, entriesFrom: 600 });
    expect(source.reads.filter((path) => path.startsWith('tile/entries/'))).toEqual(['tile/entries/002.p/188']);
  });

  it('checks every higher-level tile against the tiles below it, even hashes the root does not need', async () => {
    // At 65537 leaves the root uses tile 2/000 and not the hashes in tile 1/000 beneath it.
    const log = buildLog(KEY.signerKey, entries(65537));
    const checkpoint = checkpointOf(log);
    await expect(verifyTree(memorySource(log), checkpoint, { entries: false })).resolves.toMatchObject({ entriesChecked: 0 });
    log.files.get('tile/1/000')![3 * 32] ^= 0x01;
    const failure = await failureOf(verifyTree(memorySource(log), checkpoint, { entries: false }));
    expect(failure.message).toBe('hash 3 of tile tile/1/000 does not match tile tile/0/003 below it');
  });

  it('fails on a missing higher-level tile and on a tile of the wrong length', async () => {
    const log = buildLog(KEY.signerKey, entries(300));
    const checkpoint = checkpointOf(log);
    log.files.delete('tile/1/000.p/1');
    expect((await failureOf(verifyTree(memorySource(log), checkpoint, { entries: false }))).message).toContain('tile tile/1/000.p/1 is missing at memory:');
    log.files.set('tile/1/000.p/1', new Uint8Array(31));
    expect((await failureOf(verifyTree(memorySource(log), checkpoint, { entries: false }))).message).toBe('tile tile/1/000.p/1 has 31 bytes, want 32');
  });

  it('names the first bad entry, even when a later bundle read ahead of it is missing', async () => {
    const log = buildLog(KEY.signerKey, entries(700));
    const checkpoint = checkpointOf(log);
    log.files.get('tile/entries/000')![2 + 3] ^= 0x01; // a byte of entry 0, after its 2-byte length
    log.files.delete('tile/entries/002.p/188');
    const source = memorySource(log);
    const failure = await failureOf(verifyTree(source, checkpoint, { entries: true }));
    expect(failure.message).toBe('entry 0 does not match its leaf hash in the tiles');
    expect(failure.index).toBe(0);
    // The bundles after it were being read (the missing partial one, then its full one) while it was checked.
    expect(source.reads.filter((path) => path.startsWith('tile/entries/'))).toEqual(['tile/entries/000', 'tile/entries/001', 'tile/entries/002.p/188', 'tile/entries/002']);
  });

  it('accepts the empty tree', async () => {
    const log = buildLog(KEY.signerKey, []);
    const tree = await verifyTree(memorySource(log), checkpointOf(log), { entries: true });
    expect(tree.leafHashes).toEqual([]);
    expect(checkpointOf(log).rootHash).toEqual(rootFromLeafHashes([]));
  });
});
