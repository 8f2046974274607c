import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey, openCheckpoint, parseVerifierKey } from '@custodia/tlog';
import { buildLog, type FakeLog } from '../apps/verifier/src/testing/fake-registry.js';
import type { verifyTree as VerifyTree } from '../apps/verifier/src/verify-tree.js';

// The verifier as built (npm test builds first): its worker threads run the compiled hash-worker.js,
// which jest's TypeScript sources do not have. Imported at run time: a fresh checkout has no dist.
const BUILT = '../dist/apps/verifier/verify-tree.js';
let verifyTree: typeof VerifyTree;
beforeAll(async () => {
  ({ verifyTree } = (await import(BUILT)) as { verifyTree: typeof VerifyTree });
});

const KEY = generateNoteKey('workers.test/log', new Uint8Array(32).fill(9));
// 40 bundles, the last one partial; entries of uneven lengths, as real ones are.
const SIZE = 40 * 256 - 17;
const entries = Array.from({ length: SIZE }, (_, i) => new TextEncoder().encode(`{"entry":${i},"pad":"${'x'.repeat(i % 300)}"}`));

function source(log: FakeLog) {
  return { read: async (path: string) => log.files.get(path), locate: (path: string) => `memory:${path}` };
}
const checkpointOf = (log: FakeLog) => openCheckpoint(log.files.get('checkpoint')!, [parseVerifierKey(log.verifierKey)]).checkpoint;

async function failureOf(work: Promise<unknown>): Promise<{ message: string; index?: number }> {
  try {
    await work;
  } catch (error) {
    return error as { message: string; index?: number };
  }
  throw new Error('expected the verification to fail');
}

/** The offset of entry `i`'s bytes in its bundle (each entry follows its 2-byte length). */
function offsetIn(log: FakeLog, i: number): number {
  let offset = 0;
  for (let j = Math.floor(i / 256) * 256; j < i; j++) offset += 2 + log.entries[j]!.length;
  return offset + 2;
}

describe('the verifier on every core', () => {
  it('hashes the entries on one thread per core and verifies an intact log', async () => {
    const log = buildLog(KEY.signerKey, entries);
    const tree = await verifyTree(source(log), checkpointOf(log), { entries: true });
    expect(tree.entriesChecked).toBe(SIZE);
    expect(tree.threads).toBe(Math.max(1, availableParallelism()));
  });

  it('still names the first bad entry, whichever thread hashed it, and the later ones do not hide it', async () => {
    const log = buildLog(KEY.signerKey, entries);
    // Three altered entries in three bundles: the threads finish in any order, the first is named.
    for (const i of [9001, 5123, 7777]) log.files.get(`tile/entries/${String(Math.floor(i / 256)).padStart(3, '0')}`)![offsetIn(log, i)] ^= 0x20;
    const failure = await failureOf(verifyTree(source(log), checkpointOf(log), { entries: true }));
    expect([failure.message, failure.index]).toEqual(['entry 5123 does not match its leaf hash in the tiles', 5123]);
  });

  it('names an entry missing from a bundle, and a bundle that is gone', async () => {
    const log = buildLog(KEY.signerKey, entries);
    const bundle = log.files.get('tile/entries/030')!;
    // Entry 30 × 256 + 100 cut out of its bundle: it is the first whose hash no longer matches.
    const start = offsetIn(log, 30 * 256 + 100) - 2;
    log.files.set('tile/entries/030', Buffer.concat([bundle.subarray(0, start), bundle.subarray(start + 2 + log.entries[30 * 256 + 100]!.length)]));
    log.files.delete('tile/entries/035');
    const failure = await failureOf(verifyTree(source(log), checkpointOf(log), { entries: true }));
    expect([failure.message, failure.index]).toEqual([`entry ${30 * 256 + 100} does not match its leaf hash in the tiles`, 30 * 256 + 100]);
    log.files.set('tile/entries/030', bundle);
    const gone = await failureOf(verifyTree(source(log), checkpointOf(log), { entries: true }));
    expect([gone.message, gone.index]).toEqual(['entry bundle tile/entries/035 not found at memory:tile/entries/035', 35 * 256]);
  });

  it('checks the level-1 tile against the roots the threads computed', async () => {
    const log = buildLog(KEY.signerKey, entries);
    // A level-0 tile and the entries of its bundle rewritten together: only the level-1 tile catches it.
    const other = buildLog(KEY.signerKey, entries.map((e, i) => (i >= 12 * 256 && i < 13 * 256 ? new TextEncoder().encode(`forged ${i}`) : e)));
    log.files.set('tile/0/012', other.files.get('tile/0/012')!);
    log.files.set('tile/entries/012', other.files.get('tile/entries/012')!);
    const failure = await failureOf(verifyTree(source(log), checkpointOf(log), { entries: true }));
    expect([failure.message, failure.index]).toEqual(['hash 12 of tile tile/1/000.p/39 does not match tile tile/0/012 below it', 12 * 256]);
  });
});
