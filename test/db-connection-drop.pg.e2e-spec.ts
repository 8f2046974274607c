import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

// A write whose database connection is cut between its change and its log entry (the backend
// terminated from another session, as a failover or an operator would).
describe('a database connection dropped in the middle of a write', () => {
  let t: TestApp;
  let editor: string;
  let admin: pg.Client;

  beforeAll(async () => {
    t = await startTestApp();
    const agencyId = await t.createAgency('Fiscalía de Corte', 'CR', 'prosecution');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    admin = new pg.Client({ connectionString: t.database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  const counts = async () => {
    const [row] = await t.sql<Record<string, string>>(
      `SELECT (SELECT count(*) FROM tools) AS tools, (SELECT count(*) FROM tool_revisions) AS revisions,
              (SELECT count(*) FROM reference_counters) AS counters, (SELECT count(*) FROM log_queue) AS queued`,
    );
    return row;
  };

  it('answers 503, leaves no half-written record and no orphan log entry, and the next write succeeds', async () => {
    const cases = 5;
    for (let i = 0; i < cases; i++) {
      const before = await counts();
      // Hold the log's queue so that the write stops right before appending its entry.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE log_queue IN EXCLUSIVE MODE');
      const write = t.http.post('/api/v1/tools').set(bearer(editor)).send({ content: exampleDeclaration() });
      const pending = write.then((res) => res);
      let pid: number | undefined;
      for (let tries = 0; !pid && tries < 200; tries++) {
        // Inside a transaction the activity view is a snapshot: take a new one each time.
        await admin.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO log_queue%'`,
        );
        pid = rows[0]?.pid;
        if (!pid) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(pid).toBeDefined();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.query('ROLLBACK');

      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.detail).toMatch(/nothing was changed/);
      expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(await counts()).toEqual(before);

      // The pool replaces the lost connection: the same write now succeeds and is logged.
      const again = await t.http.post('/api/v1/tools').set(bearer(editor)).send({ content: exampleDeclaration() }).expect(201);
      expect(again.headers['x-log-entry']).toBeTruthy();
    }
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const [{ tools }] = await t.sql<{ tools: string }>('SELECT count(*) AS tools FROM tools');
    expect(Number(tools)).toBe(cases);
    recordResult({ area: 'faults', tried: 'database backend terminated between a write\'s change and its log entry (PostgreSQL)', cases, held: '503 problem, no record, no queue entry; the next write succeeded and was logged' });
  });
});
