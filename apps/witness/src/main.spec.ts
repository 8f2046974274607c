import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openWitnessedCheckpoint, parseCosignerKey, parseCosignerSignerKey } from '@custodia/tlog';
import { stateFileName } from './state-file.js';
import { postCheckpoint, TestLog, testWitnessKey } from './testing/test-log.js';

// The witness as its operator runs it: the built program in a child process, killed outright
// where a crash would hurt most, then started again on the same state folder.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/witness/main.js');
const LOG_KEY = new TestLog('log.example/a', 1).verifierKey;

interface Running {
  url: string;
  output(): string;
  exited: Promise<NodeJS.Signals | number | null>;
  stop(signal?: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
}

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function serve(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', ...args], { env: { PATH: process.env.PATH, ...env } });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /listening at (\S+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      };
      resolve({ url: match[1]!, output: () => output, exited, stop });
    };
    child.stdout!.on('data', onData);
    void exited.then((how) => reject(new Error(`the witness exited (${how}) before listening:\n${output}`)));
  });
}

describe('the witness program', () => {
  const key = testWitnessKey('witness.example/process', 7);
  let dir: string;
  let keyFile: string;
  const log = new TestLog('log.example/a', 1, 64);
  const serveArgs = (stateDir: string) => ['--key-file', keyFile, '--state', stateDir, '--log', log.verifierKey, '--listen', '127.0.0.1:0'];

  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'apps/witness/tsconfig.app.json'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`tsc -b apps/witness failed:\n${build.stdout}${build.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'witness-process-'));
    keyFile = join(dir, 'witness.key');
    writeFileSync(keyFile, `${key.signerKey}\n`, { mode: 0o600 });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a key: the signer key on stdout (the verifier key on stderr), or into a 0600 file and the verifier key on stdout', () => {
    const printed = run(['key', '--name', 'witness.example/new']);
    expect(printed.status).toBe(0);
    const signer = parseCosignerSignerKey(printed.stdout.trim());
    expect(signer.name).toBe('witness.example/new');
    expect(printed.stderr).toContain('witness.example/new+');

    const out = join(dir, 'new.key');
    const written = run(['key', '--name', 'witness.example/new', '--out', out]);
    expect(written.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const verifier = parseCosignerKey(written.stdout.trim());
    expect(parseCosignerSignerKey(readFileSync(out, 'utf8').trim()).publicKey).toEqual(verifier.publicKey);
    expect(run(['key', '--name', 'witness.example/new', '--out', out]).status).toBe(1);
  });

  it.each([
    ['no command', [], 'Give a command'],
    ['a key without a name', ['key'], 'key needs --name'],
    ['serve without --state', ['serve', '--log', 'x'], 'serve needs --state'],
    ['serve with a bad --log', ['serve', '--state', 's', '--log', 'not-a-key'], '--log not-a-key is not'],
    ['serve with a bad --listen', ['serve', '--state', 's', '--log', LOG_KEY, '--listen', 'localhost'], '--listen must be <host>:<port>'],
    ['an unknown option', ['serve', '--stat', 's'], "Unknown option '--stat'"],
  ])('exits 2 with the usage for %s', (_, args, message) => {
    const result = run(args, { WITNESS_SIGNING_KEY: key.signerKey });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('npm run -s witness -- serve');
  });

  it('exits 2 without a signer key, or with two', () => {
    expect(run(['serve', '--state', 's', '--log', log.verifierKey]).stderr).toMatch(/^serve needs the signer key/);
    const both = run(['serve', '--key-file', keyFile, '--state', 's', '--log', log.verifierKey], { WITNESS_SIGNING_KEY: key.signerKey });
    expect([both.status, both.stderr]).toEqual([2, expect.stringMatching(/^Give the signer key either/)]);
  });

  it('killed after persisting and before answering: after a restart it cosigns that same root again, and no other', async () => {
    const stateDir = join(dir, 'crash');
    const doomed = await serve(['--state', stateDir, '--log', log.verifierKey, '--listen', '127.0.0.1:0'], {
      WITNESS_SIGNING_KEY: key.signerKey,
      CUSTODIA_FAILPOINT: 'witness-after-persist',
    });
    expect(doomed.output()).toContain(`Verifier key: ${key.verifierKey}`);
    await expect(postCheckpoint(doomed.url, log.body(0, 40))).rejects.toThrow();
    expect(await doomed.exited).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(stateDir, stateFileName(log.origin)), 'utf8')).size).toBe(40);

    // The lock of the killed process is taken over at once: its pid is gone.
    const restarted = await serve(serveArgs(stateDir));
    try {
      expect(await postCheckpoint(restarted.url, log.body(0, 40))).toMatchObject({ status: 409, contentType: 'text/x.tlog.size', text: '40\n' });
      const fork = new TestLog('log.example/a', 1, 40, 'forged');
      expect((await postCheckpoint(restarted.url, fork.body(40, 40))).status).toBe(422);
      const retried = await postCheckpoint(restarted.url, log.body(40, 40));
      expect(retried.status).toBe(200);
      const witnessed = openWitnessedCheckpoint(log.checkpoint(40) + retried.text, log.verifier, [key.verifier]);
      expect(witnessed.cosigned).toHaveLength(1);
      expect((await postCheckpoint(restarted.url, log.body(40, 64))).status).toBe(200);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  }, 30_000);

  it('killed at a random moment while a log grows: the state is whole and at most one step ahead of the last answer', async () => {
    const stateDir = join(dir, 'random-kill');
    const growing = new TestLog('log.example/a', 1, 4096);
    const first = await serve(serveArgs(stateDir));
    let answered = 0;
    const killer = setTimeout(() => void first.stop('SIGKILL'), 100 + Math.random() * 300);
    try {
      for (let size = 1; size <= 4096; size++) {
        const posted = await postCheckpoint(first.url, growing.body(answered, size));
        expect(posted.status).toBe(200);
        answered = size;
      }
    } catch (error) {
      if (!/fetch failed/.test((error as Error).message)) throw error; // the kill, mid-request
    }
    clearTimeout(killer);
    await first.stop('SIGKILL');

    const restarted = await serve(serveArgs(stateDir));
    try {
      const asked = await postCheckpoint(restarted.url, growing.body(0, 4096));
      const stored = asked.status === 200 ? 0 : Number(asked.text);
      expect(answered).toBeLessThan(4096); // the kill came mid-run
      expect([answered, answered + 1]).toContain(stored);
      if (stored > 0) expect((await postCheckpoint(restarted.url, growing.body(stored, stored))).status).toBe(200);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  }, 30_000);

  it('refuses to start while another witness holds the state folder, and stops cleanly on SIGTERM and SIGINT', async () => {
    const stateDir = join(dir, 'shared');
    const first = await serve(serveArgs(stateDir));
    const second = run(['serve', ...serveArgs(stateDir)]);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Another witness is already using the state folder ${stateDir}`);
    expect(await first.stop('SIGTERM')).toBe(0);
    const again = await serve(serveArgs(stateDir));
    expect(await again.stop('SIGINT')).toBe(0);
  }, 30_000);

  it('refuses to start on a corrupt state file, naming it', () => {
    const stateDir = join(dir, 'corrupt');
    const file = join(stateDir, stateFileName(log.origin));
    mkdirSync(stateDir);
    writeFileSync(file, '{"format": "custodia-witness-state/v1", "size": ');
    const result = run(['serve', ...serveArgs(stateDir)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`The witness state file ${file} is unreadable or corrupt`);
  });
});
