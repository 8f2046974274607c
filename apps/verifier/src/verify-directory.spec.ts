import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VerificationFailure } from './failure.js';
import { checkAgainstState, type TrustedState } from './trusted-state.js';
import { verifyDirectory } from './verify-directory.js';

// A 15-entry log written by transparency-dev/tessera, beside the repository (never skipped).
const TESSERA = fileURLToPath(new URL('../../../../shared/testdata/tessera-log', import.meta.url));
const KEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

async function failureOf(work: () => unknown): Promise<VerificationFailure> {
  try {
    await work();
  } catch (error) {
    if (error instanceof VerificationFailure) return error;
    throw error;
  }
  throw new Error('expected the verification to fail');
}

describe('verifying a tlog-tiles log on disk', () => {
  let copy: string;
  beforeEach(() => {
    if (!existsSync(TESSERA)) throw new Error(`test data missing at ${TESSERA}`);
    copy = mkdtempSync(join(tmpdir(), 'custodia-verifier-'));
    cpSync(TESSERA, copy, { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('verifies every checkpoint of the log another implementation wrote', async () => {
    for (let size = 0; size <= 15; size++) {
      const result = await verifyDirectory({ dir: TESSERA, verifierKey: KEY, checkpointFile: join(TESSERA, `checkpoint.${size}`) });
      expect(result.checkpoint.size).toBe(size);
      expect(result.entriesChecked).toBe(size);
    }
  });

  it('follows the log as it grows, checkpoint by checkpoint, against the state it trusted', async () => {
    let trusted: TrustedState | undefined;
    for (let size = 0; size <= 15; size++) {
      const { checkpoint } = await verifyDirectory({ dir: TESSERA, verifierKey: KEY, checkpointFile: join(TESSERA, `checkpoint.${size}`), trusted });
      trusted = { origin: checkpoint.origin, size: checkpoint.size, rootHash: Buffer.from(checkpoint.rootHash).toString('base64') };
    }
    expect(trusted?.size).toBe(15);
  });

  it('names the first changed entry', async () => {
    const bundle = join(copy, 'tile/entries/000.p/15');
    const bytes = readFileSync(bundle);
    // Entries are 2-byte length + bytes: "one", "two", "three"... byte 2+3+2 is the 't' of "two".
    bytes[2 + 3 + 2] ^= 0x01;
    writeFileSync(bundle, bytes);
    const failure = await failureOf(() => verifyDirectory({ dir: copy, verifierKey: KEY }));
    expect(failure.index).toBe(1);
    expect(failure.message).toContain('entry 1');
  });

  it('fails when an entry and its leaf hash are both rewritten (the signed root no longer matches)', async () => {
    const bundlePath = join(copy, 'tile/entries/000.p/15');
    const bundle = readFileSync(bundlePath);
    bundle[2] ^= 0x01; // entry 0: "one" becomes "nne"
    writeFileSync(bundlePath, bundle);
    // The forger also rewrites leaf 0's hash in the level-0 tile so the two agree.
    const tilePath = join(copy, 'tile/0/000.p/15');
    const tile = readFileSync(tilePath);
    tile.set(sha256(Buffer.concat([Buffer.from([0]), Buffer.from('nne')])), 0);
    writeFileSync(tilePath, tile);
    const failure = await failureOf(() => verifyDirectory({ dir: copy, verifierKey: KEY }));
    expect(failure.message).toContain('do not produce the signed root');
  });

  it('refuses a checkpoint signed by another key, or of another log', async () => {
    const other = 'example.com/log/testdata+33d7b497+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';
    expect((await failureOf(() => verifyDirectory({ dir: TESSERA, verifierKey: other }))).message).toContain('verifier key');
    const note = readFileSync(join(copy, 'checkpoint'), 'utf8').replace('\n15\n', '\n16\n');
    writeFileSync(join(copy, 'checkpoint'), note);
    expect((await failureOf(() => verifyDirectory({ dir: copy, verifierKey: KEY }))).message).toContain('checkpoint');
  });

  it('reports a missing entry bundle', async () => {
    rmSync(join(copy, 'tile/entries/000.p/15'));
    expect((await failureOf(() => verifyDirectory({ dir: copy, verifierKey: KEY }))).message).toContain('not found');
  });

  it('fails loudly on a rollback or a fork of what it trusted before', async () => {
    const latest = await verifyDirectory({ dir: TESSERA, verifierKey: KEY });
    const trusted: TrustedState = { origin: latest.checkpoint.origin, size: 15, rootHash: Buffer.from(latest.checkpoint.rootHash).toString('base64') };
    const older = () => verifyDirectory({ dir: TESSERA, verifierKey: KEY, checkpointFile: join(TESSERA, 'checkpoint.10'), trusted });
    expect((await failureOf(older)).message).toContain('ROLLBACK');
    const forked: TrustedState = { ...trusted, size: 5, rootHash: Buffer.alloc(32, 7).toString('base64') };
    expect((await failureOf(() => checkAgainstState(forked, latest.checkpoint, []))).message).toContain('FORK');
  });
});
