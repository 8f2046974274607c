import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { freshDatabase, type TestDatabase, withClient } from './support/database.js';
import { leafHash, merkleRoot } from './support/log.js';
import { type RunningService, runToken, startService } from './support/process.js';
import { recordResult } from './support/reliability.js';

const KILLS = 6;

// The log's integrator is SIGKILLed again and again while writes keep arriving through another
// instance: every committed write must end up in the log exactly once, in one consistent tree.
describe('the integrator killed in a loop during a write burst', () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const services: RunningService[] = [];
  const signingKey = generateNoteKey('custodia.localhost/log').signerKey;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const instance = async (integrator: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'custodia-kill-'));
    dirs.push(dir);
    const env = { DATA_DIR: dir, DATABASE_URL: database.url, LOG_SIGNING_KEY: signingKey, LOG_INTEGRATOR: integrator ? 'on' : 'off' };
    const service = await startService(env);
    services.push(service);
    return { service, env };
  };

  it('integrates every committed write exactly once', async () => {
    // The first integrator registers the log's key; the writer never integrates.
    const first = await instance(true);
    const writer = await instance(false);
    const token = runToken(['--role', 'admin'], writer.env).stdout.trim();

    const committed: string[] = [];
    const failures: number[] = [];
    let writing = true;
    let n = 0;
    const burst = (async () => {
      while (writing) {
        const batch = await Promise.all(Array.from({ length: 4 }, () => fetch(`${writer.service.url}/api/v1/agencies`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: `Tribunal ${n++}`, country: 'PE', kind: 'judiciary' }),
        })));
        for (const res of batch) {
          if (res.status === 201) committed.push(res.headers.get('x-log-entry')!);
          else failures.push(res.status);
        }
      }
    })();

    let integrator = first;
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 500)));
      await integrator.service.kill();
      integrator = await instance(true);
    }
    writing = false;
    await burst;
    expect(failures).toEqual([]);
    expect(committed.length).toBeGreaterThan(KILLS * 4);

    // The last integrator catches up with everything that committed.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ missing }] = await withClient(database.url, async (c) => (await c.query(
        'SELECT count(*)::int AS missing FROM log_queue q WHERE NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.queue_id = q.id)',
      )).rows);
      if (missing === 0) break;
      if (Date.now() > deadline) throw new Error(`${missing} committed entries were never integrated`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await withClient(database.url, async (c) => {
      const rows = (await c.query('SELECT e.idx, e.queue_id, q.entry FROM log_entries e JOIN log_queue q ON q.id = e.queue_id ORDER BY e.idx')).rows as Array<{ idx: string; queue_id: string; entry: Buffer }>;
      expect(rows.map((r) => Number(r.idx))).toEqual(rows.map((_, i) => i));
      expect(new Set(rows.map((r) => r.queue_id)).size).toBe(rows.length);
      const integrated = new Set(rows.map((r) => r.queue_id));
      expect(committed.filter((id) => !integrated.has(id))).toEqual([]);
      const [{ queued }] = (await c.query('SELECT count(*)::int AS queued FROM log_queue')).rows;
      expect(rows.length).toBe(queued);
      const [{ root_hash }] = (await c.query('SELECT root_hash FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1')).rows;
      expect(merkleRoot(rows.map((r) => leafHash(r.entry)))).toEqual(root_hash);
    });

    const verifier = spawnSync(process.execPath, ['dist/apps/verifier/main.js', '--url', integrator.service.url], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      // Each instance here has its own development issuer: a token of the one asked.
      env: { PATH: process.env.PATH, CUSTODIA_TOKEN: runToken(['--role', 'oversight'], integrator.env).stdout.trim() },
      encoding: 'utf8',
    });
    expect([verifier.status, verifier.stdout + verifier.stderr]).toEqual([0, expect.stringContaining('OK')]);
    recordResult({
      area: 'faults',
      tried: `log integrator SIGKILLed ${KILLS} times during a write burst through another instance (PostgreSQL)`,
      cases: committed.length,
      held: 'every committed write integrated exactly once; contiguous indexes; root and verifier agree',
    });
  }, 180_000);
});
