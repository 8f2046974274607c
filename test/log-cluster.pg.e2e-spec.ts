import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { startTestApp, type TestApp } from './support/app.js';
import { freshDatabase, type TestDatabase, withClient } from './support/database.js';
import { leafHash, merkleRoot, waitForTreeSize } from './support/log.js';
import { type RunningService, runServiceToExit, runToken, startService } from './support/process.js';

// What only a PostgreSQL server can show: several sessions writing at once, and several
// service instances sharing one database.

describe('queued entries that commit out of order', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await waitForTreeSize(t.http, 1);
  });
  afterAll(() => t.close());

  it('integrates an entry whose transaction commits after a later-numbered one was integrated', async () => {
    const insert = `INSERT INTO log_queue (entry, subject_type, subject_id) VALUES (convert_to($1, 'UTF8'), 'test', gen_random_uuid()) RETURNING id`;
    await withClient(t.database.url, async (slow) => {
      await slow.query('BEGIN');
      const [{ id: early }] = (await slow.query(insert, ['{"slow":true}'])).rows;
      const [{ id: late }] = await t.sql<{ id: string }>(insert, ['{"fast":true}']);
      expect(Number(late)).toBeGreaterThan(Number(early));

      await waitForTreeSize(t.http, 2);
      const integrated = await t.sql<{ queue_id: string }>('SELECT queue_id FROM log_entries');
      expect(integrated.map((r) => r.queue_id)).toContain(late);
      expect(integrated.map((r) => r.queue_id)).not.toContain(early);

      await slow.query('COMMIT');
      await waitForTreeSize(t.http, 3);
      const [row] = await t.sql<{ idx: string }>('SELECT idx FROM log_entries WHERE queue_id = $1', [early]);
      expect(Number(row.idx)).toBe(2);
    });
  });

  it('integrates a backlog of several batches across transactions, and an older one still open when it commits', async () => {
    const bulk = `INSERT INTO log_queue (entry, subject_type, subject_id)
      SELECT convert_to(format('{"bulk":%s,"n":%s}', $1::text, n), 'UTF8'), 'test', gen_random_uuid() FROM generate_series(1, $2) n RETURNING id`;
    const [{ size: before }] = await t.sql<{ size: string }>('SELECT count(*) AS size FROM log_entries');
    await withClient(t.database.url, async (slow) => {
      await slow.query('BEGIN');
      const [{ id: early }] = (await slow.query(bulk, ['"slow"', 1])).rows;
      // Three transactions after it, 3,500 entries: four batches of at most 1,000.
      const later = [];
      for (const [name, n] of [['"a"', 1500], ['"b"', 1500], ['"c"', 500]] as const) later.push(...(await t.sql<{ id: string }>(bulk, [name, n])));
      await waitForTreeSize(t.http, Number(before) + 3500);
      const integrated = new Set((await t.sql<{ queue_id: string }>('SELECT queue_id FROM log_entries')).map((r) => r.queue_id));
      expect(later.every(({ id }) => integrated.has(id))).toBe(true);
      expect(integrated.has(early)).toBe(false);

      await slow.query('COMMIT');
      await waitForTreeSize(t.http, Number(before) + 3501);
      const [row] = await t.sql<{ idx: string }>('SELECT idx FROM log_entries WHERE queue_id = $1', [early]);
      expect(Number(row.idx)).toBe(Number(before) + 3500);
      const [{ n, distinct }] = await t.sql<{ n: string; distinct: string }>('SELECT count(*) AS n, count(DISTINCT queue_id) AS distinct FROM log_entries');
      expect(Number(distinct)).toBe(Number(n));
    });
  });
});

describe('an idle log of 200,000 entries whose tables were never analysed (autovacuum off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await waitForTreeSize(t.http, 1);
    for (let chunk = 0; chunk < 10; chunk++) {
      await t.sql(`INSERT INTO log_queue (entry, subject_type, subject_id)
        SELECT convert_to(format('{"chunk":%s,"n":%s}', $1::int, n), 'UTF8'), 'test', gen_random_uuid() FROM generate_series(1, 20000) n`, [chunk]);
    }
    await waitForTreeSize(t.http, 200_001, 120_000);
  }, 180_000);
  afterAll(() => t.close());

  /** Reads of log_entries so far, as the statistics views count them. */
  async function entryScans(): Promise<number> {
    await t.sql('SELECT pg_stat_clear_snapshot()');
    const [row] = await t.sql<{ scans: string }>(
      `SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = 'log_entries'`,
    );
    return Number(row!.scans);
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /**
   * A count once it has not moved for 11 s (or after 40 s, as it then is). A backend flushes its
   * statistics to the views a second after its statement at the soonest, and one that then goes
   * idle only after 10 s (PostgreSQL's PGSTAT_IDLE_INTERVAL): the service's pool connections,
   * idle after the test's last request, reported their reads inside the window measured next.
   */
  async function settled<T>(read: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + 40_000;
    let last = await read();
    for (;;) {
      await sleep(11_000);
      const now = await read();
      if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
      last = now;
    }
  }

  const queueOne = (name: string) =>
    t.sql(`INSERT INTO log_queue (entry, subject_type, subject_id) VALUES (convert_to($1, 'UTF8'), 'test', gen_random_uuid())`, [`{"${name}":true}`]);

  it('does not read its integrated entries between writes', async () => {
    // Without statistics the batch's scan is planned as a hash of all of log_entries, which each
    // idle poll (every 275 ms) repeated: half of both cores at a million entries.
    await t.sql(`DELETE FROM pg_statistic WHERE starelid IN ('log_queue'::regclass, 'log_entries'::regclass)`);
    const before = await settled(entryScans);
    await sleep(3000);
    expect(await entryScans()).toBe(before);

    // And the next write is integrated as ever.
    await queueOne('after');
    await waitForTreeSize(t.http, 200_002);
    await sleep(1500);
    expect(await entryScans()).toBeGreaterThan(before);
  });

  it('nor while a transaction older than its latest entries stays open on the server', async () => {
    // Another session's open transaction (in any database of the server: a migration, a batch
    // job) holds every snapshot's xmin below the entries written since it began.
    await withClient(t.database.url, async (open) => {
      await open.query('BEGIN');
      await open.query('SELECT pg_current_xact_id()');
      await queueOne('during');
      await waitForTreeSize(t.http, 200_003);
      const before = await settled(entryScans);
      await sleep(3000);
      expect(await entryScans()).toBe(before);

      await queueOne('still during');
      await waitForTreeSize(t.http, 200_004);
      await open.query('COMMIT');
    });
    await queueOne('after it');
    await waitForTreeSize(t.http, 200_005);
  });

  /** Rows of a table read so far, by scans and through its indexes. */
  async function rowsRead(table: string): Promise<{ scanned: number; fetched: number }> {
    await t.sql('SELECT pg_stat_clear_snapshot()');
    const [row] = await t.sql<{ scanned: string; fetched: string }>(
      `SELECT coalesce(seq_tup_read, 0) AS scanned, coalesce(idx_tup_fetch, 0) AS fetched FROM pg_stat_user_tables WHERE relname = $1`,
      [table],
    );
    return { scanned: Number(row!.scanned), fetched: Number(row!.fetched) };
  }

  it.each([
    ['without statistics', false],
    ['and once analysed', true],
  ])('integrates a backlog of 10,000 entries reading about its own queue rows, %s', async (_, analysed) => {
    if (analysed) await t.sql('ANALYZE log_queue, log_entries');
    else await t.sql(`DELETE FROM pg_statistic WHERE starelid IN ('log_queue'::regclass, 'log_entries'::regclass)`);
    const [{ size }] = await t.sql<{ size: string }>('SELECT max(tree_size) AS size FROM log_checkpoints');
    const [queueBefore, entriesBefore] = await settled(() => Promise.all([rowsRead('log_queue'), rowsRead('log_entries')]));
    // Written in four transactions, so that batches end inside one and across them.
    for (let chunk = 0; chunk < 4; chunk++) {
      await t.sql(`INSERT INTO log_queue (entry, subject_type, subject_id)
        SELECT convert_to(format('{"backlog":%s,"n":%s,"analysed":%s}', $1::int, n, $2::boolean), 'UTF8'), 'test', gen_random_uuid()
          FROM generate_series(1, 2500) n`, [chunk, analysed]);
    }
    await waitForTreeSize(t.http, Number(size) + 10_000, 60_000);
    const [queueAfter, entriesAfter] = await settled(() => Promise.all([rowsRead('log_queue'), rowsRead('log_entries')]));
    // A scan of the whole queue, once a batch, would read 2,000,000 rows; the batches' index
    // ranges read the backlog's rows and at most one batch again at each end.
    expect(queueAfter.scanned - queueBefore.scanned).toBe(0);
    expect(queueAfter.fetched - queueBefore.fetched).toBeLessThan(3 * 10_000);
    expect(entriesAfter.scanned - entriesBefore.scanned).toBe(0);
  }, 120_000);
});

describe('several instances on one database', () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const services: RunningService[] = [];
  let signingKey: string;

  beforeAll(async () => {
    database = await freshDatabase();
    signingKey = generateNoteKey('custodia.localhost/log').signerKey;
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const instanceEnv = () => {
    const dir = mkdtempSync(join(tmpdir(), 'custodia-cluster-'));
    dirs.push(dir);
    return { DATA_DIR: dir, DATABASE_URL: database.url, LOG_SIGNING_KEY: signingKey };
  };

  async function start(env: Record<string, string>) {
    const service = await startService(env);
    services.push(service);
    return {
      service,
      token: runToken(['--role', 'admin'], env).stdout.trim(),
      oversightToken: runToken(['--role', 'oversight'], env).stdout.trim(),
    };
  }

  async function role(service: RunningService): Promise<string> {
    // 200 with `details`, or a 503 problem with `checks` while no instance integrates yet.
    const body = (await (await fetch(`${service.url}/health/ready`)).json()) as Record<string, Record<string, { role?: string }>>;
    return (body.details ?? body.checks).logIntegrator.role ?? 'unknown';
  }

  async function create(service: RunningService, token: string, name: string): Promise<number> {
    const res = await fetch(`${service.url}/api/v1/agencies`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, country: 'BR', kind: 'judiciary' }),
    });
    return res.status;
  }

  it('elects one integrator, takes over when it dies, and loses nothing written through either', async () => {
    const a = await start(instanceEnv());
    const b = await start(instanceEnv());
    await until(async () => [await role(a.service), await role(b.service)].sort().join() === 'leader,standby');
    const [leader, follower] = (await role(a.service)) === 'leader' ? [a, b] : [b, a];

    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create(i % 2 ? leader.service : follower.service, i % 2 ? leader.token : follower.token, `Tribunal ${i}`)),
    );
    expect(statuses).toEqual(Array(20).fill(201));
    await until(async () => (await treeSize(follower.service)) === 21);

    await leader.service.kill();
    await until(async () => (await role(follower.service)) === 'leader', 15_000);
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => create(follower.service, follower.token, `Juzgado ${i}`)));
    expect(after).toEqual(Array(10).fill(201));
    await until(async () => (await treeSize(follower.service)) === 31);

    await withClient(database.url, async (c) => {
      const rows = (await c.query('SELECT e.idx, q.entry FROM log_entries e JOIN log_queue q ON q.id = e.queue_id ORDER BY e.idx')).rows as Array<{ idx: string; entry: Buffer }>;
      expect(rows.map((r) => Number(r.idx))).toEqual(rows.map((_, i) => i));
      const [{ queued }] = (await c.query('SELECT count(*) AS queued FROM log_queue')).rows;
      expect(Number(queued)).toBe(31);
      const [{ root_hash }] = (await c.query('SELECT root_hash FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1')).rows;
      expect(merkleRoot(rows.map((r) => leafHash(r.entry)))).toEqual(root_hash);
    });

    // And the independent verifier, reading only what the service serves, agrees.
    const verifier = spawnSync(process.execPath, ['dist/apps/verifier/main.js', '--url', follower.service.url], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH, CUSTODIA_TOKEN: follower.oversightToken },
      encoding: 'utf8',
    });
    expect(verifier.stdout).toContain('tree size 31');
    expect(verifier.stdout).toContain('31 entries');
    expect(verifier.status).toBe(0);
  });

  it('refuses to start an instance whose signing key is not the log key', async () => {
    const env = { ...instanceEnv(), LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey };
    const result = runServiceToExit(env);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("is not the log's key");
  });
});

async function treeSize(service: RunningService): Promise<number> {
  const res = await fetch(`${service.url}/log/checkpoint`);
  return res.ok ? Number((await res.text()).split('\n')[1]) : -1;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}


describe('a deployment where the service connects as its own role (docs/operations.md)', () => {
  let database: TestDatabase;
  const suffix = Math.random().toString(36).slice(2, 8);
  const appRole = `custodia_app_test_${suffix}`;
  const env = { LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey };

  beforeAll(async () => {
    database = await freshDatabase();
    const owner = await startTestApp(env, { database }); // migrations and the key, as the owner
    await owner.close();
    await withClient(database.url, async (c) => {
      await c.query(`CREATE ROLE ${appRole} LOGIN`);
      await c.query(`GRANT USAGE ON SCHEMA public TO ${appRole}`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole}`);
      await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON log_queue, log_entries, log_tiles, log_checkpoints, log_keys FROM ${appRole}`);
      await c.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${appRole}`);
    });
  });
  afterAll(async () => {
    await database.drop();
    await withClient(process.env.DATABASE_URL!, (c) => c.query(`DROP ROLE IF EXISTS ${appRole}`));
  });

  it('works as that role, which can neither change the log nor switch its triggers off', async () => {
    const url = new URL(database.url);
    url.username = appRole;
    const t = await startTestApp(env, { database: { ...database, url: url.toString() } });
    try {
      const admin = await t.token(['admin']);
      await t.http.post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send({ name: 'Poder Judiciário', country: 'BR', kind: 'judiciary' }).expect(201);
      await waitForTreeSize(t.http, 2);
      await expect(t.sql('UPDATE log_queue SET public = true')).rejects.toThrow(/permission denied/);
      await expect(t.sql('DELETE FROM log_entries')).rejects.toThrow(/permission denied/);
      await expect(t.sql('ALTER TABLE log_entries DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    } finally {
      await t.close();
    }
  });
});
