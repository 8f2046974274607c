import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { DEMO_TOOLS } from '../apps/registry/src/seed/demo-data.js';
import { DemoSeeder } from '../apps/registry/src/seed/demo-seeder.js';
import { startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A fixed time, not a number of requests; LOAD_DURATION (s) and LOAD_CONNECTIONS change them for a longer run.
const DURATION_S = Number(process.env.LOAD_DURATION ?? 8);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 12);

// autocannon ships no type declarations: the part of its programmatic API used here.
interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: LoadRequest, context: Record<string, unknown>) => LoadRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
}
interface Histogram { average: number; p99: number; total: number; max: number }
interface LoadResult {
  requests: Histogram;
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  resets: number;
  '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: { url: string; connections: number; duration: number; timeout: number; requests: LoadRequest[] }) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Write { kind: 'tool' | 'agency'; id: string; queueId: string }

function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The verifier as `npm run verify` runs it; asynchronous, as the server it checks runs in this process. */
function verify(url: string, token: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/apps/verifier/main.js', '--url', url], { cwd: ROOT, env: { PATH: process.env.PATH, CUSTODIA_TOKEN: token } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}

// Public reads and writes at once, for a fixed time, on loopback: nothing fails, every
// acknowledged write is stored and logged exactly once, and the independent verifier agrees.
describe('the service under a mixed load', () => {
  let t: TestApp;
  let base: string;
  let inFlight = 0;

  beforeAll(async () => {
    // No rate limit: the load comes from one client, which would otherwise get 429s.
    t = await startTestApp({ PUBLIC_RATE_LIMIT: '0', PUBLIC_LOG_RATE_LIMIT: '0' });
    await t.app.get(DemoSeeder).seed();
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const server = t.app.getHttpServer();
    // Counts requests the server is still handling, so the checks start only once all have ended:
    // autocannon abandons the requests in flight when its time is up, and the server goes on with
    // them (their 'close' comes at once, with the socket; their end() only once handled).
    server.prependListener('request', (_request, response) => {
      inFlight++;
      const end = response.end;
      let ended = false;
      response.end = function (this: typeof response, ...args: unknown[]) {
        if (!ended) inFlight--;
        ended = true;
        return (end as (...a: unknown[]) => typeof response).apply(this, args);
      } as typeof response.end;
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers every read and write, loses no write and leaves a log the verifier accepts', async () => {
    const agencyId = await t.createAgency('Unidad de pruebas de carga', 'CR', 'police');
    const editor = await t.token(['agency_editor'], { agencyId, sub: 'load-editor' });
    const admin = await t.token(['admin'], { sub: 'load-admin' });
    const oversight = await t.token(['oversight'], { sub: 'load-oversight' });
    const demoTool = (await t.http.get('/api/v1/public/tools').query({ q: 'Priorizador' }).expect(200)).body.items[0].id as string;

    const writes: Write[] = [];
    const failures = new Map<string, { count: number; sample: string }>();
    const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
    // Notes every answer that is not a success, by request, with one body to show.
    const watch = (name: string, record?: (body: string, headers: Record<string, string | string[]>) => void): LoadRequest['onResponse'] =>
      (status, body, _context, headers) => {
        if (status >= 200 && status < 300) {
          record?.(body, headers);
          return;
        }
        const key = `${name} → ${status}`;
        const seen = failures.get(key) ?? { count: 0, sample: String(body).slice(0, 300) };
        seen.count++;
        failures.set(key, seen);
      };
    const recordWrite = (kind: Write['kind']) => (body: string, headers: Record<string, string | string[]>) => {
      writes.push({ kind, id: (JSON.parse(body) as { id: string }).id, queueId: header(headers, 'x-log-entry') ?? 'missing' });
    };
    const read = (path: string): LoadRequest => ({ method: 'GET', path, onResponse: watch(`GET ${path}`) });
    let agencyNumber = 0;
    // Each connection goes round this cycle: eight public reads, two writes (1 write : 4 reads).
    const requests: LoadRequest[] = [
      read('/api/v1/public/tools?riskClass=high_risk'),
      read(`/api/v1/public/tools/${demoTool}`),
      {
        method: 'POST',
        path: '/api/v1/tools',
        headers: json(editor),
        body: JSON.stringify({ content: exampleDeclaration() }),
        onResponse: watch('POST /api/v1/tools', recordWrite('tool')),
      },
      read('/en/tools'),
      read('/api/v1/public/stats'),
      read('/log/checkpoint'),
      {
        method: 'POST',
        path: '/api/v1/agencies',
        headers: json(admin),
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ name: `Agencia de carga ${process.pid}-${++agencyNumber}`, country: 'MX', kind: 'prosecution' }),
        }),
        onResponse: watch('POST /api/v1/agencies', recordWrite('agency')),
      },
      read('/api/v1/public/tools?country=BR&riskClass=high_risk'),
      read(`/en/tools/${demoTool}`),
      read('/log/checkpoint'),
    ];

    const result = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION_S, timeout: 10, requests });
    // Requests autocannon abandoned when its time was up still run to their end on the server.
    const abandoned = inFlight;
    for (let waited = 0; inFlight > 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(inFlight).toBe(0); // else some request was never answered

    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]));
    const summary = { requests: result.requests.total, statuses, errors: result.errors, timeouts: result.timeouts, failures: Object.fromEntries(failures) };
    // Nothing failed, and nothing was refused: not one 5xx, 429 or other non-2xx answer.
    expect({ ...summary, '5xx': result['5xx'], non2xx: result.non2xx }).toEqual({ ...summary, errors: 0, timeouts: 0, failures: {}, '5xx': 0, non2xx: 0 });
    expect(statuses['429']).toBeUndefined();
    expect(result['2xx']).toBe(result.requests.total);
    const tools = writes.filter((w) => w.kind === 'tool');
    const agencies = writes.filter((w) => w.kind === 'agency');
    expect(tools.length).toBeGreaterThan(0);
    expect(agencies.length).toBeGreaterThan(0);
    expect(writes.filter((w) => !/^\d+$/.test(w.queueId))).toEqual([]);

    // Every acknowledged write is in the database.
    const storedTools = await t.sql<{ id: string }>('SELECT id FROM tools WHERE id = ANY($1::uuid[])', [tools.map((w) => w.id)]);
    expect(storedTools.length).toBe(tools.length);
    const storedAgencies = await t.sql<{ id: string }>('SELECT id FROM agencies WHERE id = ANY($1::uuid[])', [agencies.map((w) => w.id)]);
    expect(storedAgencies.length).toBe(agencies.length);
    expect(new Set(writes.map((w) => w.queueId)).size).toBe(writes.length);

    // ... and, once the log has integrated its queue, in the log exactly once, about that record.
    const [{ n: queued }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(queued), 30_000);
    const logged = await t.sql<{ queue_id: string; subject_id: string; entries: string }>(
      `SELECT q.id::text AS queue_id, q.subject_id::text AS subject_id, count(e.idx)::text AS entries
         FROM log_queue q LEFT JOIN log_entries e ON e.queue_id = q.id
        WHERE q.id = ANY($1::bigint[]) GROUP BY q.id, q.subject_id`,
      [writes.map((w) => w.queueId)],
    );
    const byQueue = new Map(logged.map((row) => [row.queue_id, row]));
    const unlogged = writes.filter((w) => byQueue.get(w.queueId)?.subject_id !== w.id || byQueue.get(w.queueId)?.entries !== '1');
    expect(unlogged).toEqual([]);
    const [totals] = await t.sql<{ queued: string; entries: string; distinct_queue: string }>(
      `SELECT (SELECT count(*) FROM log_queue)::text AS queued, count(*)::text AS entries, count(DISTINCT queue_id)::text AS distinct_queue FROM log_entries`,
    );
    expect(totals.distinct_queue).toBe(totals.entries);
    expect(totals.entries).toBe(totals.queued);

    // The independent verifier, against the server as it is now: every entry, every public record.
    const [{ n: agencyCount }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM agencies');
    const revisions = DEMO_TOOLS.filter((tool) => tool.outcome === 'published' && !tool.nonPublic).reduce((n, tool) => n + (tool.revise ? 2 : 1), 0);
    const verifier = await verify(base, oversight);
    expect(verifier.out).toContain('OK ');
    expect(verifier.out).toContain(`${totals.entries} entries match their leaf hashes`);
    expect(verifier.out).toContain(`${Number(agencyCount) + revisions} public records match their logged entries`);
    expect(verifier.status).toBe(0);

    const p99 = result.latency.p99;
    console.log(
      `load: ${result.requests.total} requests in ${result.duration} s over ${CONNECTIONS} connections, ${result.requests.average} req/s, ` +
        `p99 ${p99} ms, max ${result.latency.max} ms; ${tools.length} tools and ${agencies.length} agencies written; log size ${totals.entries}; ${abandoned} requests abandoned at the end and completed`,
    );
    recordResult({
      area: 'load',
      tried: `${DURATION_S} s, ${CONNECTIONS} connections on loopback: public reads (API, pages, checkpoint) and writes (tool declarations by an agency editor, agency registrations) mixed 4:1`,
      cases: result.requests.total,
      held: `0 5xx (no non-2xx at all, no 429), 0 connection errors or timeouts, 0 lost writes: each 2xx write stored and logged once; verifier OK (${writes.length} writes, ${Math.round(result.requests.average)} req/s, p99 ${p99} ms)`,
    });
  }, 120_000);
});
