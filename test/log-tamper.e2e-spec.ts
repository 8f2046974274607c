import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app.js';
import { freshDatabase } from './support/database.js';
import { currentCheckpoint, waitForTreeSize } from './support/log.js';

// The database superuser changes the log behind the service's back; the independent verifier
// (the built apps/verifier, run as `npm run verify` runs it) must notice and name the entry.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function verify(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/apps/verifier/main.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (status) => resolve({ status, out }));
  });
}

/** Runs statements with the append-only triggers off, as only a superuser or the owner could. */
async function tamper(t: TestApp, table: string, ...statements: Array<[string, unknown[]?]>): Promise<void> {
  await t.app.get(DataSource).transaction(async (manager) => {
    await manager.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_no_update_delete`);
    for (const [sql, params] of statements) await manager.query(sql, params ?? []);
    await manager.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_update_delete`);
  });
}

describe('the verifier against a tampered log', () => {
  let t: TestApp;
  let url: string;
  let work: string;
  let oversight: Record<string, string>;
  let size: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'custodia-tamper-'));
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const admin = await t.token(['admin']);
    oversight = { CUSTODIA_TOKEN: await t.token(['oversight']) };
    for (const name of ['Policía Nacional', 'Fiscalía General', 'Poder Judicial']) {
      await t.http.post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send({ name, country: 'CR', kind: 'police' }).expect(201);
    }
    // Enough entries for a full tile, queued as writers' transactions would queue them.
    await t.sql(
      `INSERT INTO log_queue (entry, subject_type, subject_id) SELECT convert_to('{"n":' || g || '}', 'UTF8'), 'test', gen_random_uuid() FROM generate_series(1, 300) g`,
    );
    size = (await waitForTreeSize(t.http, 304)).size;
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The entry at `index` as stored (its bytes live in the queue row it was integrated from). */
  async function stored(index: number) {
    const [row] = await t.sql<{ queue_id: string; entry: Buffer; leaf_hash: Buffer }>(
      'SELECT e.queue_id, q.entry, e.leaf_hash FROM log_entries e JOIN log_queue q ON q.id = e.queue_id WHERE e.idx = $1',
      [index],
    );
    return row;
  }

  it('verifies the untouched log, with and without an oversight token', async () => {
    const full = await verify(['--url', url, '--state', join(work, 'state.json')], oversight);
    expect(full.out).toContain(`OK custodia.localhost/log`);
    expect(full.out).toContain(`tree size ${size}`);
    expect(full.out).toContain('3 public records match their logged entries');
    expect(full.status).toBe(0);
    const open = await verify(['--url', url]);
    expect(open.out).toContain('entry contents not checked');
    expect(open.status).toBe(0);
  });

  it('names the entry whose stored bytes were changed, even though the triggers refuse it as a replica', async () => {
    const original = await stored(100);
    await expect(
      t.app.get(DataSource).transaction(async (m) => {
        await m.query('SET LOCAL session_replication_role = replica');
        await m.query(`UPDATE log_queue SET entry = convert_to('{"n":-1}', 'UTF8') WHERE id = $1`, [original.queue_id]);
      }),
    ).rejects.toThrow(/append-only/);

    await tamper(t, 'log_queue', [`UPDATE log_queue SET entry = convert_to('{"n":-1}', 'UTF8') WHERE id = $1`, [original.queue_id]]);
    const result = await verify(['--url', url], oversight);
    expect(result.status).toBe(1);
    expect(result.out).toContain('FAILED at index 100');
    await tamper(t, 'log_queue', ['UPDATE log_queue SET entry = $1 WHERE id = $2', [original.entry, original.queue_id]]);
    expect((await verify(['--url', url], oversight)).status).toBe(0);
  });

  it('names the first of two entries that were swapped', async () => {
    const a = await stored(40);
    const b = await stored(41);
    const swap = (x: typeof a, y: typeof a): [string, unknown[]] => ['UPDATE log_queue SET entry = $1 WHERE id = $2', [y.entry, x.queue_id]];
    await tamper(t, 'log_queue', swap(a, b), swap(b, a));
    const result = await verify(['--url', url], oversight);
    expect(result.status).toBe(1);
    expect(result.out).toContain('FAILED at index 40');
    await tamper(t, 'log_queue', swap(a, a), swap(b, b));
  });

  it('names an integrated entry that was deleted', async () => {
    const gone = await stored(7);
    await tamper(t, 'log_entries', ['DELETE FROM log_entries WHERE idx = 7']);
    const result = await verify(['--url', url], oversight);
    expect(result.status).toBe(1);
    expect(result.out).toContain('FAILED at index 7');
    await tamper(t, 'log_entries', ['INSERT INTO log_entries (idx, queue_id, leaf_hash) VALUES (7, $1, $2)', [gone.queue_id, gone.leaf_hash]]);

    const queueRow = await stored(2);
    await tamper(t, 'log_queue', ['DELETE FROM log_queue WHERE id = $1', [queueRow.queue_id]]);
    const again = await verify(['--url', url], oversight);
    expect(again.status).toBe(1);
    expect(again.out).toContain('FAILED at index 2');
  });

  it('reports a rollback to an earlier checkpoint against the state it kept', async () => {
    await tamper(t, 'log_checkpoints', ['DELETE FROM log_checkpoints WHERE tree_size >= $1', [size]]);
    expect((await currentCheckpoint(t.http)).size).toBeLessThan(size);
    const result = await verify(['--url', url, '--state', join(work, 'state.json')]);
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/ROLLBACK/);
  });
});

describe('the verifier against a public record whose queued entry was deleted', () => {
  it('names the record that has no log entry', async () => {
    const database = await freshDatabase();
    const env = { LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey };
    // An instance that does not integrate queues the agency; the entry is deleted before any
    // integrator sees it; then an integrating instance takes over the database.
    const queuing = await startTestApp({ ...env, LOG_INTEGRATOR: 'off' }, { database });
    const agency = (
      await queuing.http.post('/api/v1/agencies').set('Authorization', `Bearer ${await queuing.token(['admin'])}`).send({ name: 'Polícia Federal', country: 'BR', kind: 'police' }).expect(201)
    ).body;
    await tamper(queuing, 'log_queue', ['DELETE FROM log_queue WHERE subject_id = $1', [agency.id]]);
    await queuing.close();

    const t = await startTestApp(env, { database });
    try {
      await t.app.listen(0, '127.0.0.1');
      await waitForTreeSize(t.http, 1);
      const result = await verify(['--url', (await t.app.getUrl()).replace('[::1]', '127.0.0.1'), '--pending-wait', '1']);
      expect(result.status).toBe(1);
      expect(result.out).toContain(`agency ${agency.id} has no log entry`);
    } finally {
      await t.close();
      await database.drop();
    }
  });
});
