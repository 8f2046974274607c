import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateNoteKey } from '@custodia/tlog';
import { buildLog, FakeRegistry, logFromDirectory, makeAgency, OVERSIGHT_TOKEN } from '../apps/verifier/src/testing/fake-registry.js';

// The built verifier, run as `npm run verify` runs it.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESSERA = fileURLToPath(new URL('../../shared/testdata/tessera-log', import.meta.url));
const KEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';

// Asynchronous, so the fake registry in this process can answer while the verifier runs.
function verify(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  const { CUSTODIA_TOKEN: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/apps/verifier/main.js', ...args], { cwd: ROOT, env: { ...inherited, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}

const work = mkdtempSync(join(tmpdir(), 'custodia-verify-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the verifier command on a log on disk', () => {
  it('verifies a log on disk and exits 0 with a summary', async () => {
    const { status, out } = await verify(['--dir', TESSERA, '--key', KEY]);
    expect(status).toBe(0);
    expect(out).toContain('OK example.com/log/testdata');
    expect(out).toContain('tree size 15');
  });

  it('exits 1 naming the first bad index when an entry was changed', async () => {
    const copy = join(work, 'tampered');
    cpSync(TESSERA, copy, { recursive: true });
    const bundle = join(copy, 'tile/entries/000.p/15');
    const bytes = readFileSync(bundle);
    bytes[bytes.length - 1] ^= 0x20; // the last entry, index 14
    writeFileSync(bundle, bytes);
    const { status, out } = await verify(['--dir', copy, '--key', KEY]);
    expect(status).toBe(1);
    expect(out).toContain('FAILED at index 14');
  });

  it('remembers the checkpoint it trusted and fails on a rollback', async () => {
    const state = join(work, 'dir-state.json');
    expect((await verify(['--dir', TESSERA, '--key', KEY, '--state', state])).status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ origin: 'example.com/log/testdata', size: 15, verifierKey: KEY });
    const older = await verify(['--dir', TESSERA, '--key', KEY, '--state', state, '--checkpoint', join(TESSERA, 'checkpoint.9')]);
    expect(older.status).toBe(1);
    expect(older.out).toContain('ROLLBACK');
  });

  it('exits 2 with usage on a wrong call', async () => {
    const { status, out } = await verify(['--dir', TESSERA]);
    expect(status).toBe(2);
    expect(out).toContain('--key');
  });
});

describe('the verifier command on a registry (--url)', () => {
  let registry: FakeRegistry;
  afterEach(() => registry.close());
  const tessera = async () => (registry = await FakeRegistry.start(logFromDirectory(TESSERA, KEY)));
  const withToken = { CUSTODIA_TOKEN: OVERSIGHT_TOKEN };

  it('with an oversight token, checks every entry and never prints the token', async () => {
    await tessera();
    const { status, out } = await verify(['--url', registry.url, '--key', KEY], withToken);
    expect(status).toBe(0);
    expect(out).toContain('OK example.com/log/testdata');
    expect(out).toContain('tree size 15, root rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=');
    expect(out).toContain('signature verified with the key given with --key');
    expect(out).toContain('15 entries match their leaf hashes');
    expect(out).toContain('0 public records match their logged entries');
    expect(out).not.toContain(OVERSIGHT_TOKEN);
  });

  it('reads the token from --token-file too', async () => {
    await tessera();
    const file = join(work, 'token');
    writeFileSync(file, `${OVERSIGHT_TOKEN}\n`);
    const { status, out } = await verify(['--url', registry.url, '--key', KEY, '--token-file', file]);
    expect(status).toBe(0);
    expect(out).toContain('15 entries match their leaf hashes');
  });

  it('without a token, checks the tree and says the entries were not checked', async () => {
    await tessera();
    const { status, out } = await verify(['--url', `${registry.url}/`, '--key', KEY]);
    expect(status).toBe(0);
    expect(out).toContain('entry contents not checked (no oversight token)');
  });

  it('names the index of a changed entry', async () => {
    await tessera();
    registry.log.files.get('tile/entries/000.p/15')![2 + 3 + 2] ^= 0x01; // entry 1
    const { status, out } = await verify(['--url', registry.url, '--key', KEY], withToken);
    expect(status).toBe(1);
    expect(out).toContain('FAILED at index 1: entry 1 does not match its leaf hash in the tiles');
  });

  it('fails on a changed hash tile', async () => {
    await tessera();
    registry.log.files.get('tile/0/000.p/15')![0] ^= 0x01;
    const { status, out } = await verify(['--url', registry.url, '--key', KEY]);
    expect(status).toBe(1);
    expect(out).toContain('FAILED: the hash tiles do not produce the signed root hash');
  });

  it('fails when the server presents another key than --key', async () => {
    await tessera();
    const other = generateNoteKey('example.com/log/testdata', new Uint8Array(32).fill(9)).verifierKey;
    const { status, out } = await verify(['--url', registry.url, '--key', other]);
    expect(status).toBe(1);
    expect(out).toContain(`FAILED: the server presents the verifier key ${KEY}, not the pinned key ${other}`);
  });

  it('trusts the key on first use with a warning, pins it in the state file, and fails when it changes', async () => {
    const first = generateNoteKey('registry.test/log', new Uint8Array(32).fill(1));
    registry = await FakeRegistry.start(buildLog(first.signerKey, [new TextEncoder().encode('one')]));
    const state = join(work, 'key-state.json');
    const unpinned = await verify(['--url', registry.url, '--state', state]);
    expect(unpinned.status).toBe(0);
    expect(unpinned.out).toContain(`WARNING: the log's key is not pinned: trusting the key the server presents, ${first.verifierKey}`);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ origin: 'registry.test/log', size: 1, verifierKey: first.verifierKey });

    const pinned = await verify(['--url', registry.url, '--state', state]);
    expect(pinned.out).toContain('signature verified with the key pinned in the state file');
    expect(pinned.out).toContain('consistent with trusted size 1');
    expect(pinned.out).not.toContain('WARNING');

    registry.log = buildLog(generateNoteKey('registry.test/log', new Uint8Array(32).fill(2)).signerKey, [new TextEncoder().encode('one')]);
    const changed = await verify(['--url', registry.url, '--state', state]);
    expect(changed.status).toBe(1);
    expect(changed.out).toContain("FAILED: the log's key changed");
  });

  it('follows the log with a state file: consistent growth, then ROLLBACK and FORK', async () => {
    await tessera();
    const state = join(work, 'url-state.json');
    const latest = registry.log.files.get('checkpoint')!;
    registry.log.files.set('checkpoint', registry.log.files.get('checkpoint.5')!);
    expect((await verify(['--url', registry.url, '--key', KEY, '--state', state])).status).toBe(0);

    registry.log.files.set('checkpoint', latest);
    const grown = await verify(['--url', registry.url, '--state', state]);
    expect(grown.status).toBe(0);
    expect(grown.out).toContain('consistent with trusted size 5 (tiles and consistency proof)');

    registry.log.files.set('checkpoint', registry.log.files.get('checkpoint.10')!);
    const rolledBack = await verify(['--url', registry.url, '--state', state]);
    expect(rolledBack.status).toBe(1);
    expect(rolledBack.out).toContain('FAILED: ROLLBACK: the log shrank from 15 to 10 entries');

    registry.log.files.set('checkpoint', latest);
    writeFileSync(state, JSON.stringify({ ...JSON.parse(readFileSync(state, 'utf8')), size: 5, rootHash: Buffer.alloc(32, 7).toString('base64') }));
    const forked = await verify(['--url', registry.url, '--state', state]);
    expect(forked.status).toBe(1);
    expect(forked.out).toContain('FAILED: FORK');
  });

  describe('public records', () => {
    const signer = generateNoteKey('registry.test/log', new Uint8Array(32).fill(1));
    const agencies = [makeAgency(1), makeAgency(2), makeAgency(3)];
    const withAgencies = async () => {
      registry = await FakeRegistry.start(buildLog(signer.signerKey, [new TextEncoder().encode('{"confidential":true}')]));
      registry.publish(signer.signerKey, agencies);
    };

    it('matches every agency with the entry that logged it', async () => {
      await withAgencies();
      const { status, out } = await verify(['--url', registry.url, '--key', signer.verifierKey], withToken);
      expect(status).toBe(0);
      expect(out).toContain('4 entries match their leaf hashes');
      expect(out).toContain('3 public records match their logged entries');
    });

    it('names the agency whose content changed after it was logged', async () => {
      await withAgencies();
      registry.agencies[1]!.name = 'Renamed in the database';
      const { status, out } = await verify(['--url', registry.url, '--key', signer.verifierKey]);
      expect(status).toBe(1);
      expect(out).toContain(`FAILED at index 2: agency ${agencies[1]!.id}: its public content does not match entry 2`);
    });

    it('matches every published revision of every tool, and names a revision changed after it was logged', async () => {
      await withAgencies();
      const tool = '00000000-0000-4000-8000-0000000000aa';
      registry.publishTool(signer.signerKey, tool, [{ identity: { name: 'Tool', lifecycle: 'pilot' } }, { identity: { name: 'Tool', lifecycle: 'in_use' } }]);
      const ok = await verify(['--url', registry.url, '--key', signer.verifierKey]);
      expect(ok.status).toBe(0);
      expect(ok.out).toContain('5 public records match their logged entries');

      registry.tools.get(tool)![0]!.content = { identity: { name: 'Tool', lifecycle: 'in_use' } };
      const changed = await verify(['--url', registry.url, '--key', signer.verifierKey]);
      expect(changed.status).toBe(1);
      expect(changed.out).toContain(`FAILED at index 4: tool ${tool}: its public content does not match entry 4`);

      // A revision shown with the entry of another revision of the same tool.
      registry.tools.get(tool)![0]!.content = { identity: { name: 'Tool', lifecycle: 'in_use' } };
      registry.tools.get(tool)![0]!.log = registry.tools.get(tool)![1]!.log;
      const swapped = await verify(['--url', registry.url, '--key', signer.verifierKey]);
      expect(swapped.status).toBe(1);
      expect(swapped.out).toContain(`tool ${tool}: entry 5 is about revision 2, not revision 1`);
    });

    it('names an agency that never gets a log entry', async () => {
      await withAgencies();
      registry.agencies[2]!.log = null;
      const { status, out } = await verify(['--url', registry.url, '--key', signer.verifierKey, '--pending-wait', '0.3']);
      expect(status).toBe(1);
      expect(out).toContain(`FAILED: agency ${agencies[2]!.id} has no log entry`);
    });
  });

  it('exits 1 naming the URL and the status when the server fails, without a stack trace', async () => {
    await tessera();
    registry.intercept = (path) => (path.startsWith('/log/tile/0/') ? { status: 500, body: '{"title":"Internal Server Error"}', type: 'application/problem+json' } : undefined);
    const { status, out } = await verify(['--url', registry.url, '--key', KEY]);
    expect(status).toBe(1);
    expect(out.trim()).toBe(`FAILED: GET ${registry.url}/log/tile/0/000.p/15: HTTP 500 Internal Server Error`);
  });

  it('exits 1 when the server cannot be reached', async () => {
    await tessera();
    const url = registry.url;
    await registry.close();
    const { status, out } = await verify(['--url', url, '--key', KEY]);
    expect(status).toBe(1);
    expect(out.trim()).toBe(`FAILED: GET ${url}/api/v1/log/key: could not reach the server (ECONNREFUSED)`);
  });

  it('exits 2 on a wrong call', async () => {
    await tessera();
    for (const args of [
      ['--url', registry.url, '--dir', TESSERA],
      ['--url', 'ftp://example.org'],
      ['--url', registry.url, '--pending-wait', 'soon'],
      ['--url', registry.url, '--token-file', join(work, 'no-such-file')],
      ['--url', registry.url, '--checkpoint', join(TESSERA, 'checkpoint')],
    ]) {
      const { status, out } = await verify(args);
      expect({ args, status }).toEqual({ args, status: 2 });
      expect(out).toContain('--url <base URL>');
    }
  });
});
