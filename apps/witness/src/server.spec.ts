import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { emptyRoot, openWitnessedCheckpoint, parseCosignatureLines, signCheckpoint } from '@custodia/tlog';
import { type RunningWitness, startWitness } from './server.js';
import { stateFileName } from './state-file.js';
import { REFUSED_LOG } from './state-store.js';
import { addCheckpointBody, flipBit, postCheckpoint, TestLog, testWitnessKey } from './testing/test-log.js';
import { trustLogs } from './trusted-logs.js';

// The witness over real HTTP on 127.0.0.1, with its state in a temporary folder.

const key = testWitnessKey();
const NOW = 1_800_000_000;

describe('the witness over HTTP (C2SP tlog-witness add-checkpoint)', () => {
  let stateDir: string;
  let log: TestLog;
  let running: RunningWitness | undefined;
  let url: string;

  beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'witness-http-'));
    log = new TestLog('log.example/a', 1, 100);
    await start();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function start(logs: TestLog[] = [log]): Promise<void> {
    await running?.close();
    running = await startWitness({ stateDir, signer: key.signer, logs: trustLogs(logs.map((l) => l.verifierKey)), host: '127.0.0.1', port: 0, now: () => NOW });
    url = running.url;
  }

  const add = (old: number, size: number, proof?: Uint8Array[]) => postCheckpoint(url, log.body(old, size, proof));
  const storedFile = () => readFileSync(join(stateDir, stateFileName(log.origin)), 'utf8');

  function expectCosigned(posted: { status: number; contentType: string; text: string }, size: number): void {
    expect(posted.status).toBe(200);
    expect(posted.contentType).toBe('text/plain; charset=utf-8');
    const witnessed = openWitnessedCheckpoint(log.checkpoint(size) + posted.text, log.verifier, [key.verifier]);
    expect(witnessed.invalid).toEqual([]);
    expect(witnessed.cosigned).toEqual([{ name: key.verifier.name, keyId: key.verifier.keyId, timestamp: NOW }]);
    expect(witnessed.checkpoint.size).toBe(size);
  }

  it('cosigns a first checkpoint sent with old size 0, and states it in the state file', async () => {
    expectCosigned(await add(0, 10), 10);
    expect(JSON.parse(storedFile())).toMatchObject({ origin: log.origin, size: 10, cosignedAt: NOW });
  });

  it('cosigns a growth with a consistency proof, and again the same checkpoint (a retry)', async () => {
    await add(0, 10);
    expectCosigned(await add(10, 37), 37);
    expectCosigned(await add(37, 37), 37);
  });

  it('answers 409 with the size cosigned, as text/x.tlog.size, for a stale old size', async () => {
    await add(0, 10);
    const stale = await add(5, 20);
    expect(stale).toEqual({ status: 409, contentType: 'text/x.tlog.size', text: '10\n' });
    // A log that knows nothing asks with old 0 to learn the size (C2SP tlog-witness).
    expect((await add(0, 20)).text).toBe('10\n');
  });

  it('answers 422 for a proof that does not verify, records it in refused.log, and keeps its state', async () => {
    await add(0, 10);
    const before = storedFile();
    const proof = log.proof(10, 20);
    const bad = await add(10, 20, [flipBit(proof[0]!), ...proof.slice(1)]);
    expect(bad.status).toBe(422);
    expect(storedFile()).toBe(before);
    const [refused] = readFileSync(join(stateDir, REFUSED_LOG), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(refused).toMatchObject({ origin: log.origin, oldSize: 10, size: 20, note: log.checkpoint(20) });
    expect(refused.reason).toMatch(/does not verify/);
  });

  it('answers 422 for a fork (same size, another root) and never cosigns it, even after a restart', async () => {
    await add(0, 10);
    const before = storedFile();
    const fork = new TestLog('log.example/a', 1, 10, 'forged');
    const forked = await postCheckpoint(url, fork.body(10, 10));
    expect(forked.status).toBe(422);
    expect(forked.text).toMatch(/fork/);
    expect(storedFile()).toBe(before);
    await start();
    expect((await postCheckpoint(url, fork.body(10, 10))).status).toBe(422);
    expectCosigned(await add(10, 10), 10);
    expect(readFileSync(join(stateDir, REFUSED_LOG), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('refuses a smaller tree: 400 with the old size it cosigned, 409 with the smaller size', async () => {
    await add(0, 30);
    expect((await add(30, 20, [])).status).toBe(400);
    expect(await add(20, 20)).toMatchObject({ status: 409, text: '30\n' });
    expect(JSON.parse(storedFile()).size).toBe(30);
  });

  it('answers 422 for a size-0 checkpoint with a root other than the empty tree, 200 for the empty tree', async () => {
    const bad = signCheckpoint({ origin: log.origin, size: 0, rootHash: log.root(1) }, [log.signer]);
    expect((await postCheckpoint(url, addCheckpointBody(0, [], bad))).status).toBe(422);
    const empty = signCheckpoint({ origin: log.origin, size: 0, rootHash: emptyRoot() }, [log.signer]);
    expect((await postCheckpoint(url, addCheckpointBody(0, [], empty))).status).toBe(200);
  });

  it('answers 422 for a non-empty proof with old size 0', async () => {
    expect((await add(0, 10, log.proof(3, 10))).status).toBe(422);
    expect(existsSync(join(stateDir, stateFileName(log.origin)))).toBe(false);
  });

  it('answers 404 for an unknown origin and 403 for a checkpoint no trusted key signed', async () => {
    expect((await postCheckpoint(url, new TestLog('other.example/log', 2, 5).body(0, 5))).status).toBe(404);
    const impostor = new TestLog('log.example/a', 3, 5);
    expect((await postCheckpoint(url, impostor.body(0, 5))).status).toBe(403);
    // The trusted signature among unknown ones is enough: those are ignored.
    expect((await postCheckpoint(url, log.body(0, 5, [], log.checkpoint(5, [impostor.signer, log.signer])))).status).toBe(200);
  });

  it('answers 400 for malformed bodies and 413 past 64 KiB', async () => {
    for (const body of ['', 'old 5\n', `old 0\n${log.checkpoint(5)}`, `old 00\n\n${log.checkpoint(5)}`, `old 0\nxyz\n\n${log.checkpoint(5)}`, 'old 0\n\nnot a note\n']) {
      expect((await postCheckpoint(url, body)).status).toBe(400);
    }
    expect((await postCheckpoint(url, `old 0\n\n${'x'.repeat(64 * 1024)}`)).status).toBe(413);
  });

  it('keeps its state across a restart', async () => {
    await add(0, 10);
    await start();
    expect((await add(0, 20)).text).toBe('10\n');
    expectCosigned(await add(10, 20), 20);
  });

  it('never rolls back under concurrent requests: one of many racing from the same old size wins', async () => {
    await add(0, 10);
    const sizes = [11, 50, 12, 99, 30, 13, 70, 20];
    const answers = await Promise.all(sizes.map((size) => add(10, size)));
    const won = answers.flatMap((a, i) => (a.status === 200 ? [sizes[i]!] : []));
    expect(won).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(losers.every((a) => a.status === 409 && a.text === `${won[0]}\n`)).toBe(true);
    expect(JSON.parse(storedFile()).size).toBe(won[0]);
  });

  it('serves the latest cosigned checkpoint to monitors at /<origin hash>/checkpoint', async () => {
    const path = `/${createHash('sha256').update(log.origin).digest('hex')}/checkpoint`;
    expect((await fetch(url + path)).status).toBe(404);
    const posted = await add(0, 10);
    const served = await (await fetch(url + path)).text();
    expect(served).toBe(log.checkpoint(10) + posted.text);
    expect(parseCosignatureLines(posted.text)).toHaveLength(1);
  });

  it('describes itself at GET / and answers 404 elsewhere, 405 for a GET of add-checkpoint', async () => {
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    const text = await home.text();
    expect(text).toContain(`Custodia witness ${key.verifier.name}`);
    expect(text).toContain(key.verifierKey);
    expect(text).toContain(log.origin);
    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    const get = await fetch(`${url}/add-checkpoint`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('refuses a second witness on the same state folder', async () => {
    await expect(startWitness({ stateDir, signer: key.signer, logs: trustLogs([log.verifierKey]), host: '127.0.0.1', port: 0 })).rejects.toThrow(/Another witness/);
  });
});
