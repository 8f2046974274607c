import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshDatabase, type TestDatabase } from './support/database.js';
import { runToken, startService } from './support/process.js';

// The integrator dies between writing a batch and committing it (CUSTODIA_FAILPOINT kills the
// process with SIGKILL there), then the service is started again: nothing lost, nothing doubled.
// On the embedded database by default, on PostgreSQL when DATABASE_URL is set.
describe('the integrator killed in the middle of a batch', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'custodia-crash-'));
    env = { DATA_DIR: dataDir };
    if (process.env.DATABASE_URL) {
      database = await freshDatabase();
      env.DATABASE_URL = database.url;
    }
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('integrates every committed write exactly once after a restart', async () => {
    const first = await startService(env);
    await waitForTreeSize(first.url, 1); // the key registration, integrated before the crash run
    await first.stop();
    const token = runToken(['--role', 'admin'], env).stdout.trim();

    const doomed = await startService({ ...env, CUSTODIA_FAILPOINT: 'integrator-before-commit' });
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${doomed.url}/api/v1/agencies`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: `Crash agency ${i}`, country: 'ES', kind: 'police' }),
        }).then(
          (res) => res.status,
          () => 'connection lost',
        ),
      ),
    );
    expect(await doomed.exited).toBe('SIGKILL');

    const restarted = await startService(env);
    try {
      const agencies = await waitForAllLogged(restarted.url);
      expect(agencies.length).toBeGreaterThan(0); // the batch that died held at least one
      // Every write that was answered 201 is there; the others may or may not have committed.
      expect(agencies.length).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length);
      const indexes = agencies.map((a) => a.log!.index);
      expect(new Set(indexes).size).toBe(indexes.length);

      const checkpoint = await (await fetch(`${restarted.url}/log/checkpoint`)).text();
      const size = Number(checkpoint.split('\n')[1]);
      expect(size).toBe(agencies.length + 1); // and the key registration, entry 0
      for (let index = 0; index < size; index++) {
        const res = await fetch(`${restarted.url}/api/v1/log/entries/${index}`);
        expect(res.status).toBe(200);
      }
    } finally {
      await restarted.stop();
    }
  });
});

interface Agency {
  id: string;
  log: { index: number } | null;
}

async function waitForTreeSize(url: string, size: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/log/checkpoint`);
    if (res.ok && Number((await res.text()).split('\n')[1]) >= size) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the log did not reach ${size} entries`);
}

async function waitForAllLogged(url: string): Promise<Agency[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = (await (await fetch(`${url}/api/v1/agencies?limit=100`)).json()) as { items: Agency[] };
    if (page.items.length > 0 && page.items.every((a) => a.log !== null)) return page.items;
    if (Date.now() > deadline) throw new Error(`agencies still not logged: ${JSON.stringify(page.items)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
