import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built verifier, run as `npm run verify` runs it.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESSERA = fileURLToPath(new URL('../../shared/testdata/tessera-log', import.meta.url));
const KEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';

function verify(...args: string[]) {
  const result = spawnSync(process.execPath, ['dist/apps/verifier/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, out: result.stdout + result.stderr };
}

describe('the verifier command', () => {
  const work = mkdtempSync(join(tmpdir(), 'custodia-verify-cli-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('verifies a log on disk and exits 0 with a summary', () => {
    const { status, out } = verify('--dir', TESSERA, '--key', KEY);
    expect(status).toBe(0);
    expect(out).toContain('OK example.com/log/testdata');
    expect(out).toContain('tree size 15');
  });

  it('exits 1 naming the first bad index when an entry was changed', () => {
    const copy = join(work, 'tampered');
    cpSync(TESSERA, copy, { recursive: true });
    const bundle = join(copy, 'tile/entries/000.p/15');
    const bytes = readFileSync(bundle);
    bytes[bytes.length - 1] ^= 0x20; // the last entry, index 14
    writeFileSync(bundle, bytes);
    const { status, out } = verify('--dir', copy, '--key', KEY);
    expect(status).toBe(1);
    expect(out).toContain('FAILED at index 14');
  });

  it('remembers the checkpoint it trusted and fails on a rollback', () => {
    const state = join(work, 'state.json');
    expect(verify('--dir', TESSERA, '--key', KEY, '--state', state).status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ origin: 'example.com/log/testdata', size: 15 });
    const older = verify('--dir', TESSERA, '--key', KEY, '--state', state, '--checkpoint', join(TESSERA, 'checkpoint.9'));
    expect(older.status).toBe(1);
    expect(older.out).toContain('ROLLBACK');
  });

  it('exits 2 with usage on a wrong call', () => {
    const { status, out } = verify('--dir', TESSERA);
    expect(status).toBe(2);
    expect(out).toContain('--key');
  });
});
