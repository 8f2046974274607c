import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import {
  consistencyProofFromLeaves,
  encodeBase64,
  generateNoteKey,
  openWitnessedCheckpoint,
  parseCosignerKey,
  parseSignerKey,
  parseVerifierKey,
  rootFromLeafHashes,
  signCheckpoint,
} from '@custodia/tlog';
import { WitnessCollector } from '../apps/registry/src/log/witness-collector.service.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { type RunningWitness, removeState, startWitness, witnessKey } from './support/witness.js';

const ORIGIN = 'custodia.localhost/log';

// The registry with a real witness (the built `npm run witness` program) over real HTTP.
describe('witnesses cosigning the log', () => {
  const log = generateNoteKey(ORIGIN);
  const key = witnessKey('oversight.example/witness');
  let witness: RunningWitness;
  let t: TestApp;
  let admin: string;
  let base: string;

  beforeAll(async () => {
    witness = await startWitness({ name: 'oversight.example/witness', key, logs: [log.verifierKey] });
    t = await startTestApp({ LOG_SIGNING_KEY: log.signerKey, LOG_WITNESSES: `${key.verifierKey} ${witness.url}` });
    admin = await t.token(['admin']);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await witness?.stop();
    if (witness) removeState(witness);
  });

  const collector = () => t.app.get(WitnessCollector);
  const write = (name: string) => t.http.post('/api/v1/agencies').set(bearer(admin)).send({ name, country: 'PT', kind: 'police' }).expect(201);
  async function cosignedCheckpoint(size: number) {
    await waitForTreeSize(t.http, size);
    await collector().collect();
    const note = (await t.http.get('/log/checkpoint').expect(200)).text;
    return openWitnessedCheckpoint(note, parseVerifierKey(log.verifierKey), [parseCosignerKey(key.verifierKey)]);
  }
  async function treeSize(): Promise<number> {
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    return Number(n);
  }
  /** The built verifier as its own process (the service answers it meanwhile: never spawnSync). */
  const verify = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['dist/apps/verifier/main.js', '--url', base, '--key', log.verifierKey, ...args], (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });

  it('gets every new checkpoint cosigned and serves the cosignature as an extra line that older clients ignore', async () => {
    await write('Polícia Judiciária');
    const opened = await cosignedCheckpoint(await treeSize());
    expect(opened.cosigned.map((c) => c.name)).toEqual(['oversight.example/witness']);
    expect(Math.abs(opened.cosigned[0]!.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details.witnesses.witnesses).toEqual([
      expect.objectContaining({ name: 'oversight.example/witness', cosignedSize: opened.checkpoint.size, behindBy: 0, lastStatus: 'cosigned' }),
    ]);
    // The cosignatures are kept like the log itself: append-only.
    await expect(t.sql('DELETE FROM log_cosignatures')).rejects.toThrow(/append-only/);
  });

  it('never waits for a witness that is down: writes go on, it shows behind, then catches up with one consistency proof', async () => {
    const address = new URL(witness.url).host;
    await witness.stop();
    const before = await treeSize();
    for (const name of ['Guardia Civil', 'Mossos d’Esquadra', 'Ertzaintza']) await write(name);
    await waitForTreeSize(t.http, before + 3);
    await collector().collect();
    const ready = await t.http.get('/health/ready').expect(200);
    const [status] = ready.body.details.witnesses.witnesses;
    expect(status).toMatchObject({ lastStatus: 'unreachable', behindBy: expect.any(Number) });
    expect(status.behindBy).toBeGreaterThanOrEqual(3);
    expect(status.behindSince).toEqual(expect.any(String));
    const unwitnessed = await verify('--witness', key.verifierKey, '--witness-wait', '0');
    expect(unwitnessed.status).toBe(1);
    // The checkpoint is still served, with the log's own signature.
    expect((await t.http.get('/log/checkpoint').expect(200)).text).toContain(`\u2014 ${ORIGIN} `);

    witness = await startWitness({ name: 'oversight.example/witness', key, logs: [log.verifierKey], stateDir: witness.stateDir, listen: address });
    const opened = await cosignedCheckpoint(await treeSize());
    expect(opened.cosigned).toHaveLength(1);
    const verified = await verify('--witness', key.verifierKey, '--witness-quorum', '1');
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toContain('cosigned by 1 of the 1 witnesses pinned (1 required): oversight.example/witness');
    expect(verified.status).toBe(0);
  });

  it('is caught when the operator shows the witness another tree: the witness refuses the real one, the alert names it, quorum verifiers fail', async () => {
    // The operator, holding the log key, extends what the witness saw with entries the registry never had.
    const { size: seen } = (await cosignedCheckpoint(await treeSize())).checkpoint;
    const leaves = (await t.sql<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM log_entries ORDER BY idx')).map((r) => new Uint8Array(r.leaf_hash));
    const forked = [...leaves.slice(0, seen), ...Array.from({ length: 4 }, (_, i) => new Uint8Array(32).fill(i + 1))];
    const note = signCheckpoint({ origin: ORIGIN, size: forked.length, rootHash: rootFromLeafHashes(forked) }, [parseSignerKey(log.signerKey)]);
    const proof = consistencyProofFromLeaves(seen, forked).map((h) => `${encodeBase64(h)}\n`).join('');
    const shown = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body: `old ${seen}\n${proof}\n${note}` });
    expect(shown.status).toBe(200);

    // The registry goes on with its real tree: the witness will not cosign it.
    await write('Polícia de Segurança Pública');
    await waitForTreeSize(t.http, seen + 1);
    await collector().collect();
    const oversight = await t.token(['oversight']);
    const alerts = (await t.http.get('/api/v1/oversight/alerts').set(bearer(oversight)).expect(200)).body;
    expect(alerts.counts['witness-refused']).toBe(1);
    expect(alerts.log).toEqual([expect.objectContaining({ kind: 'witness-refused', witness: 'oversight.example/witness' })]);
    expect(alerts.log[0].message).toMatch(/^The witness oversight\.example\/witness refused to cosign/);

    const refused = await verify('--witness', key.verifierKey, '--witness-wait', '1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('not cosigned by oversight.example/witness');
    // A verifier that pins no witness notices nothing: that is what witnesses are for.
    expect((await verify()).status).toBe(0);
  });
});
