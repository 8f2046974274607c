import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { consistencyProofFromLeaves, encodeBase64, generateNoteKey, hashLeaf } from '@custodia/tlog';
import { buildLog, FakeRegistry, makeAgency, OVERSIGHT_TOKEN } from '../apps/verifier/src/testing/fake-registry.js';
import { type RunningWitness, removeState, startWitness, witnessKey } from './support/witness.js';

const VERIFIER = 'dist/apps/verifier/main.js';

type Run = { status: number | null; stdout: string; stderr: string };
const verify = (args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(process.execPath, [VERIFIER, ...args], { env: { PATH: process.env.PATH, CUSTODIA_TOKEN: OVERSIGHT_TOKEN } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

/**
 * A split view, acted out by a test double of a dishonest operator over real HTTP: two
 * registries under one log key serve two different trees of the same size, one to each client.
 * The real witness program cosigns the first tree it is shown and refuses the second; a verifier
 * that pins the witness accepts the first client's view and refuses the forked one.
 */
describe('a split view against a witness', () => {
  const log = generateNoteKey('registry.example/log');
  const key = witnessKey('court.example/witness');
  const agencies = (prefix: string) => Array.from({ length: 5 }, (_, i) => makeAgency(i, { name: `${prefix} ${i}` }));
  let witness: RunningWitness;
  let honest: FakeRegistry;
  let forked: FakeRegistry;

  beforeAll(async () => {
    witness = await startWitness({ name: 'court.example/witness', key, logs: [log.verifierKey] });
    honest = await FakeRegistry.start(buildLog(log.signerKey, []));
    forked = await FakeRegistry.start(buildLog(log.signerKey, []));
    honest.publish(log.signerKey, agencies('Agency'));
    forked.publish(log.signerKey, agencies('Forged agency'));
  });
  afterAll(async () => {
    await Promise.all([honest?.close(), forked?.close(), witness?.stop()]);
    if (witness) removeState(witness);
  });

  /** What the operator does with each new checkpoint: ask the witness, and serve its cosignature. */
  async function witnessed(registry: FakeRegistry, old: number): Promise<Response> {
    const note = new TextDecoder().decode(registry.log.files.get('checkpoint'));
    const leaves = registry.log.entries.map(hashLeaf);
    const proof = old > 0 ? consistencyProofFromLeaves(old, leaves).map((h) => `${encodeBase64(h)}\n`).join('') : '';
    const answer = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body: `old ${old}\n${proof}\n${note}` });
    if (answer.status === 200) registry.log.files.set('checkpoint', new TextEncoder().encode(note + (await answer.text())));
    return answer;
  }

  it('cosigns one tree of a size, refuses the other, and a verifier pinning the witness catches the fork', async () => {
    expect(honest.log.entries.length).toBe(forked.log.entries.length);
    expect((await witnessed(honest, 0)).status).toBe(200);
    // The same size with another root: the witness has already cosigned a tree of 5 entries.
    const second = await witnessed(forked, 0);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await second.text()).toBe('5\n');
    expect((await witnessed(forked, 5)).status).toBe(422);

    const pinned = (registry: FakeRegistry) => verify(['--url', registry.url, '--key', log.verifierKey, '--witness', key.verifierKey, '--witness-wait', '0']);
    const good = await pinned(honest);
    expect(good.stdout).toContain('cosigned by 1 of the 1 witnesses pinned (1 required): court.example/witness');
    expect(good.status).toBe(0);
    const caught = await pinned(forked);
    expect(caught.status).toBe(1);
    expect(caught.stderr).toContain('FAILED: the checkpoint of size 5 has 0 valid cosignatures of the 1 required; not cosigned by court.example/witness');

    // The operator copies the honest tree's cosignature onto the forked checkpoint: it does not verify.
    const cosignature = new TextDecoder().decode(honest.log.files.get('checkpoint')).split('\n').filter((l) => l.startsWith('\u2014 court.example/witness')).join('\n');
    forked.log.files.set('checkpoint', new TextEncoder().encode(new TextDecoder().decode(forked.log.files.get('checkpoint')) + `${cosignature}\n`));
    const copied = await pinned(forked);
    expect(copied.status).toBe(1);
    expect(copied.stderr).toContain('invalid: court.example/witness (the cosignature of court.example/witness');
    // Without a witness pinned, each client alone sees a perfectly signed log: the reason for witnesses.
    expect((await verify(['--url', forked.url, '--key', log.verifierKey])).status).toBe(0);
  });

  it('watches the log with --follow and raises an ALARM the moment it is rolled back', async () => {
    const monitor: ChildProcess = spawn(process.execPath, [VERIFIER, '--url', honest.url, '--key', log.verifierKey, '--follow', '--interval', '0.2'], {
      env: { PATH: process.env.PATH, CUSTODIA_TOKEN: OVERSIGHT_TOKEN },
    });
    let stdout = '';
    let stderr = '';
    monitor.stdout!.on('data', (d) => (stdout += d));
    monitor.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => monitor.once('exit', (code) => resolve(code)));
    const until = async (test: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until(() => stdout.includes('OK tree size 5'));
      honest.publish(log.signerKey, [makeAgency(9, { name: 'Later agency' })]);
      await until(() => stdout.includes('OK tree size 6 (+1)'));
      // The operator rolls the log back to 5 entries.
      honest.log = buildLog(log.signerKey, honest.log.entries.slice(0, 5));
      expect(await exited).toBe(1);
      expect(stderr).toMatch(/^ALARM \d{4}-\d\d-\d\dT[\d:.]+Z: .*6.*5/m);
    } finally {
      monitor.kill();
    }
  });
});
