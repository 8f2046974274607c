import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { withClient } from './support/database.js';
import { leafHash, merkleRoot } from './support/log.js';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import { type RunningService, runToken, startService } from './support/process.js';
import { recordResult } from './support/reliability.js';

// The database server restarts while the service is under load: a PostgreSQL cluster of this
// test's own (never the shared server of DATABASE_URL) is stopped, left down for a while, and
// started again, then restarted several times more with `pg_ctl restart -m fast` (each fast
// shutdown terminates the sessions of the writes in flight at that instant, some of them between
// two statements of their transaction). The built service runs as a child process throughout and
// is never restarted.

type Phase = 'before' | 'outage' | 'recovering' | 'after' | 'fast-restart' | 'after-fast-restart';

interface Answer {
  /** A status, or how the request failed without one. */
  status: number | 'timeout' | 'connection error';
  sentIn: Phase;
  answeredIn: Phase;
  sentAt: number;
  ms: number;
  contentType: string;
  retryAfter: string | null;
  /** X-Log-Entry: the queue id of the log entry a write queued. */
  logEntry: string | null;
  text: string;
}

interface Write extends Answer {
  name: string;
  id?: string;
}

const REQUEST_TIMEOUT_MS = 5_000;
// Six writers back to back and ten fast restarts: a session terminated between two statements of
// a write's transaction (rather than during one) happens only in a narrow window, and needs this
// many transactions open at the moments of shutdown to be met in every run.
const WRITERS = 6;
const FAST_RESTARTS = 10;
const STACK_TRACE = /\bat .+\.(js|ts):\d+/;

describe('the database restarted under load', () => {
  let cluster: PrivatePostgres | undefined;
  let service: RunningService | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await service?.kill();
    await cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while the database is down, recovers without a restart, and loses or doubles nothing', async () => {
    const startedAt = Date.now();
    cluster = await startPrivatePostgres();
    const databaseUrl = await cluster.createDatabase('custodia_restart_test');
    dataDir = mkdtempSync(join(tmpdir(), 'custodia-db-restart-'));
    // The readers below are one client reading each agency back in a loop, far above the public
    // rate limit (test/public-http.e2e-spec.ts tests the limit): lifted here.
    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO: 'false', PUBLIC_RATE_LIMIT: '0', PUBLIC_LOG_RATE_LIMIT: '0' };
    service = await startService(env);
    const url = service.url;
    let exited: unknown = undefined;
    void service.exited.then((how) => (exited = how ?? 'exited'));
    const token = runToken(['--role', 'admin'], env).stdout.trim();
    expect(token).toMatch(/\S/);

    let stopLoad = false;
    let phase: Phase = 'before';
    const writes: Write[] = [];
    const probes: Answer[] = [];
    try {
      let counter = 0;

      async function request(path: string, init: RequestInit = {}): Promise<Answer> {
        const sentIn = phase;
        const sentAt = Date.now();
        try {
          const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          const text = await res.text();
          return {
            status: res.status,
            sentIn,
            answeredIn: phase,
            sentAt,
            ms: Date.now() - sentAt,
            contentType: res.headers.get('content-type') ?? '',
            retryAfter: res.headers.get('retry-after'),
            logEntry: res.headers.get('x-log-entry'),
            text,
          };
        } catch (error) {
          const name = (error as Error).name;
          return {
            status: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection error',
            sentIn,
            answeredIn: phase,
            sentAt,
            ms: Date.now() - sentAt,
            contentType: '',
            retryAfter: null,
            logEntry: null,
            text: String((error as Error).message),
          };
        }
      }

      async function write(): Promise<boolean> {
        const name = `Restart agency ${++counter}`;
        const answer = await request('/api/v1/agencies', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name, country: 'CR', kind: 'police' }),
        });
        const record: Write = { ...answer, name };
        if (answer.status === 201) record.id = (JSON.parse(answer.text) as { id: string }).id;
        writes.push(record);
        return answer.status === 201;
      }

      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // A few writers, each with one write in flight at a time, and one readiness prober.
      const writers = Array.from({ length: WRITERS }, async () => {
        while (!stopLoad) {
          // A refused write is followed by a short pause, as a client told to retry would make.
          if (!(await write())) await sleep(100);
        }
      });
      const prober = (async () => {
        while (!stopLoad) {
          probes.push(await request('/health/ready'));
          await sleep(100);
        }
      })();

      const until = async (what: string, condition: () => boolean, timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        while (!condition()) {
          // A service that died is not going to recover: say so at once rather than time out.
          if (exited !== undefined) throw new Error(`the service process exited (${String(exited)}) while waiting for: ${what}`);
          if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
          await sleep(50);
        }
      };
      const created = () => writes.filter((w) => w.status === 201).length;

      // 1. Some successful writes on the healthy database.
      await until('20 writes before the outage', () => created() >= 20, 15_000);

      // 2. The database goes down (fast shutdown: in-flight sessions are terminated) and stays
      //    down for at least 2 s, until readiness has said so.
      phase = 'outage';
      await cluster.stop();
      const downAt = Date.now();
      const notReadyWhileDown = () =>
        probes.filter((p) => p.sentAt >= downAt && p.status === 503 && p.contentType.includes('application/problem+json'));
      await until('a 503 readiness answer while the database is down', () => notReadyWhileDown().length > 0, 10_000);
      await until('2 s of outage', () => Date.now() - downAt >= 2_000, 5_000);
      const writesDuringOutage = () => writes.filter((w) => w.sentAt >= downAt);
      await until('writes attempted during the outage', () => writesDuringOutage().length >= 3, 10_000);

      // 3. The database comes back; the same service process must recover on its own.
      phase = 'recovering';
      await cluster.start();
      const upAt = Date.now();
      await until('readiness 200 after the database came back', () => probes.some((p) => p.sentAt >= upAt && p.status === 200), 20_000);
      const readyAt = Date.now();
      phase = 'after';
      await until('20 writes after recovery', () => writes.filter((w) => w.sentAt >= readyAt && w.status === 201).length >= 20, 15_000);

      // 4. Again, the quick way, a few times: `pg_ctl restart -m fast` in the middle of the stream.
      const fastRestarts: Array<{ at: number; upAt: number; readyAt: number }> = [];
      for (let round = 0; round < FAST_RESTARTS; round++) {
        phase = 'fast-restart';
        const at = Date.now();
        await cluster.restart();
        const fastUpAt = Date.now();
        await until('readiness 200 after a fast restart', () => probes.some((p) => p.sentAt >= fastUpAt && p.status === 200), 20_000);
        const fastReadyAt = Date.now();
        phase = 'after-fast-restart';
        await until('10 writes after a fast restart', () => writes.filter((w) => w.sentAt >= fastReadyAt && w.status === 201).length >= 10, 15_000);
        fastRestarts.push({ at, upAt: fastUpAt, readyAt: fastReadyAt });
      }

      stopLoad = true;
      await Promise.all([...writers, prober]);
      const loadEndedAt = Date.now();

      // Nothing hung, nothing answered with a stack trace, nothing but 201 or a 503 problem.
      const answers: Answer[] = [...writes, ...probes];
      expect(answers.filter((a) => a.status === 'timeout')).toEqual([]);
      expect(answers.filter((a) => STACK_TRACE.test(a.text))).toEqual([]);
      expect(answers.filter((a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503)).toEqual([]);
      const refused = writes.filter((w) => w.status !== 201);
      for (const w of refused) {
        // A connection error is tolerated only while the database is away, never after recovery.
        if (w.status === 'connection error') {
          expect(w.sentIn).not.toMatch(/^after/);
          continue;
        }
        expect({ name: w.name, status: w.status, contentType: w.contentType }).toEqual({
          name: w.name,
          status: 503,
          contentType: expect.stringContaining('application/problem+json'),
        });
        expect(w.retryAfter).toBe('5');
        expect(JSON.parse(w.text)).toMatchObject({ status: 503, detail: expect.stringMatching(/database/i) });
      }
      // Every write while the database was healthy succeeded; the outage refused some.
      expect(writes.filter((w) => w.sentIn === 'before' && w.answeredIn === 'before' && w.status !== 201)).toEqual([]);
      expect(writes.filter((w) => w.sentAt >= downAt && w.sentAt < upAt && w.status === 503).length).toBeGreaterThan(0);
      // After each recovery, every new write succeeded.
      const afterRecovery = writes.filter(
        (w) => (w.sentIn === 'after' || w.sentIn === 'after-fast-restart') && w.answeredIn === w.sentIn,
      );
      expect(afterRecovery.length).toBeGreaterThanOrEqual(20 + 10 * FAST_RESTARTS);
      expect(afterRecovery.filter((w) => w.status !== 201)).toEqual([]);

      // Readiness said the database was away, with the failing check, and came back within 20 s.
      const notReady = JSON.parse(notReadyWhileDown()[0].text) as {
        type: string;
        status: number;
        checks: Record<string, { status: string }>;
      };
      expect(notReady).toMatchObject({ status: 503, type: expect.stringContaining('not-ready') });
      expect(notReady.checks.database.status).toBe('down');
      expect(probes.filter((p) => p.sentIn === 'before' && p.answeredIn === 'before').every((p) => p.status === 200)).toBe(true);
      expect(readyAt - upAt).toBeLessThan(20_000);
      for (const r of fastRestarts) expect(r.readyAt - r.upAt).toBeLessThan(20_000);
      // Every probe is 200 or a 503 problem.
      for (const p of probes) {
        if (p.status === 200) continue;
        expect({ status: p.status, contentType: p.contentType }).toEqual({
          status: 503,
          contentType: expect.stringContaining('application/problem+json'),
        });
      }

      // Every acknowledged write exists and is integrated into the log, exactly once.
      const acknowledged = writes.filter((w) => w.status === 201);
      const indexes = new Map<string, number>();
      const deadline = Date.now() + 20_000;
      for (const w of acknowledged) {
        for (;;) {
          const res = await fetch(`${url}/api/v1/agencies/${w.id}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          expect(res.status).toBe(200);
          const agency = (await res.json()) as { name: string; log: { index: number; leafHash: string } | null };
          expect(agency.name).toBe(w.name);
          if (agency.log) {
            indexes.set(w.id!, agency.log.index);
            break;
          }
          if (Date.now() > deadline) throw new Error(`agency ${w.id} (${w.name}) was never integrated into the log`);
          await sleep(100);
        }
      }
      expect(new Set(indexes.values()).size).toBe(acknowledged.length);

      const checkpoint = await (await fetch(`${url}/log/checkpoint`)).text();
      const treeSize = Number(checkpoint.split('\n')[1]);
      await withClient(databaseUrl, async (c) => {
        const one = async <T>(sql: string): Promise<T> => (await c.query(sql)).rows[0] as T;
        expect((await c.query('SELECT queue_id FROM log_entries GROUP BY queue_id HAVING count(*) > 1')).rows).toEqual([]);
        const { entries, queued } = await one<{ entries: string; queued: string }>(
          'SELECT (SELECT count(*) FROM log_entries) AS entries, (SELECT count(*) FROM log_queue) AS queued',
        );
        expect(Number(entries)).toBe(Number(queued));
        expect(treeSize).toBe(Number(entries));
        // Each acknowledged write's entry (its X-Log-Entry) is in the log once; each acknowledged
        // agency has one queued entry, integrated once.
        expect(acknowledged.filter((w) => !/^\d+$/.test(w.logEntry ?? ''))).toEqual([]);
        const { rows: logged } = await c.query<{ queue_id: string; n: string }>(
          'SELECT queue_id, count(*) AS n FROM log_entries WHERE queue_id = ANY($1::bigint[]) GROUP BY queue_id',
          [acknowledged.map((w) => w.logEntry)],
        );
        expect(logged.length).toBe(acknowledged.length);
        expect(logged.filter((r) => r.n !== '1')).toEqual([]);
        const { rows: perAgency } = await c.query<{ subject_id: string; queued: string; integrated: string }>(
          `SELECT q.subject_id, count(*) AS queued, count(e.idx) AS integrated
             FROM log_queue q LEFT JOIN log_entries e ON e.queue_id = q.id
            WHERE q.subject_type = 'agency' GROUP BY q.subject_id`,
        );
        const bySubject = new Map(perAgency.map((r) => [r.subject_id, r]));
        for (const w of acknowledged) {
          expect({ id: w.id, queued: bySubject.get(w.id!)?.queued, integrated: bySubject.get(w.id!)?.integrated }).toEqual({
            id: w.id,
            queued: '1',
            integrated: '1',
          });
        }
        // Writes answered 503 may still have committed (the answer was lost, not the commit), but
        // every agency in the database has its entry: no change without its log entry.
        const { orphans } = await one<{ orphans: string }>(
          `SELECT count(*) AS orphans FROM agencies a WHERE NOT EXISTS
             (SELECT 1 FROM log_queue q WHERE q.subject_type = 'agency' AND q.subject_id = a.id)`,
        );
        expect(Number(orphans)).toBe(0);
        // And the tree is whole: indexes 0..n-1 whose root is the checkpoint's.
        const { rows } = await c.query<{ idx: string; entry: Buffer }>(
          'SELECT e.idx, q.entry FROM log_entries e JOIN log_queue q ON q.id = e.queue_id ORDER BY e.idx',
        );
        expect(rows.map((r) => Number(r.idx))).toEqual(rows.map((_, i) => i));
        const { root_hash } = await one<{ root_hash: Buffer }>('SELECT root_hash FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1');
        expect(merkleRoot(rows.map((r) => leafHash(r.entry)))).toEqual(root_hash);
      });

      // Still the same process, alive and ready.
      expect(exited).toBeUndefined();
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);

      const outage = writes.filter((w) => w.sentAt >= downAt && w.sentAt < readyAt);
      const summary = {
        seconds: Math.round((loadEndedAt - startedAt) / 100) / 10,
        writes: writes.length,
        acknowledged: acknowledged.length,
        refused: refused.length,
        outageMs: upAt - downAt,
        recoveryMs: readyAt - upAt,
        fastRestartRecoveryMs: fastRestarts.map((r) => r.readyAt - r.at),
        duringOutage: tally(outage.map((w) => String(w.status))),
        duringFastRestarts: tally(
          writes.filter((w) => fastRestarts.some((r) => w.sentAt >= r.at && w.sentAt < r.readyAt)).map((w) => String(w.status)),
        ),
        readiness: tally(probes.map((p) => String(p.status))),
      };
      console.log(`database restart under load: ${JSON.stringify(summary)}`);
      recordResult({
        area: 'faults',
        tried: `PostgreSQL stopped for 2 s and started, then restarted fast ${FAST_RESTARTS} times, under a steady stream of writes`,
        cases: writes.length,
        held: 'refused writes were 503 problems, readiness 503 while down and 200 again without restarting the service; every acknowledged write logged exactly once',
      });
    } catch (error) {
      stopLoad = true;
      // The service's log of every request answered with an unexpected error, then its last lines.
      const output = service?.output() ?? '';
      const unexpected = new Set(
        [...writes, ...probes]
          .filter((a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503)
          .map((a) => /"requestId":"([^"]+)"/.exec(a.text)?.[1]),
      );
      const logged = output.split('\n').filter((line) => [...unexpected].some((id) => id && line.includes(id)));
      (error as Error).message +=
        `\n--- service log of the requests answered 5xx other than 503 ---\n${logged.slice(0, 5).join('\n')}` +
        `\n--- service output (last 4000 characters) ---\n${output.slice(-4000)}` +
        `\n--- PostgreSQL log (last 2000 characters) ---\n${cluster?.log().slice(-2000)}`;
      throw error;
    }
  }, 120_000);
});

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
