import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { LegalLinksService } from '../apps/registry/src/declarations/legal-links/legal-links.service.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// The legal-link checker against a local server that answers 200, 301, 404, 500 and never; no test reaches outside.
describe('legal links that go stale', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  let editor: string;
  let oversight: string;
  let toolId: string;
  const requests: Array<{ method: string; path: string; at: number }> = [];
  let gone = '/gone';

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push({ method: request.method!, path: request.url!, at: Date.now() });
      const path = request.url!;
      if (path === '/law' || path === '/new-home') return void response.writeHead(200).end('ok');
      if (path === '/moved') return void response.writeHead(301, { Location: '/new-home' }).end();
      if (path === '/head-refused') return void response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
      if (path === gone) return void response.writeHead(404).end();
      if (path === '/error') return void response.writeHead(500).end();
      if (path === '/never') return; // never answers
      response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestApp();
    const agencyId = await t.createAgency('Fiscalía General', 'CL', 'prosecution');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    const approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    oversight = await t.token(['oversight']);
    const content = exampleDeclaration();
    content.legalBasis = ['/law', '/moved', '/head-refused', '/gone', '/error', '/never'].map((path, i) => ({ jurisdiction: 'CL', instrument: `Ley ${i}`, url: `${base}${path}` }));
    const created = await t.http.post('/api/v1/tools').set(bearer(editor)).send({ content }).expect(201);
    toolId = created.body.id;
    const submitted = await t.http.post(`/api/v1/tools/${toolId}/submit`).set(bearer(editor)).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${toolId}/publish`).set(bearer(approver)).set('If-Match', submitted.headers.etag).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const check = () => t.app.get(LegalLinksService).check({ concurrency: 4, hostDelayMs: 50, timeoutMs: 500, userAgent: 'test' });

  it('checks every link, stores what each answered, and logs the run', async () => {
    const run = await check();
    expect(run).toMatchObject({ links: 6, broken: 2, unreachable: 1, logEntry: expect.any(String) });
    const links = (await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editor)).expect(200)).body.legalLinks;
    const byPath = Object.fromEntries(links.map((l: { url: string }) => [l.url.slice(base.length), l]));
    expect(byPath['/law']).toMatchObject({ outcome: 'ok', status: 200, brokenSince: null });
    expect(byPath['/moved']).toMatchObject({ outcome: 'ok', status: 200, finalUrl: `${base}/new-home` });
    expect(byPath['/head-refused']).toMatchObject({ outcome: 'ok', status: 200 });
    expect(byPath['/gone']).toMatchObject({ outcome: 'broken', status: 404, detail: 'HTTP 404', brokenSince: expect.any(String) });
    expect(byPath['/error']).toMatchObject({ outcome: 'broken', status: 500 });
    expect(byPath['/never']).toMatchObject({ outcome: 'unreachable', status: null, detail: 'no answer within 0.5 s' });
    const [entry] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [run.logEntry]);
    expect(JSON.parse(entry.entry.toString())).toMatchObject({ action: 'legal-links.check', actor: { id: 'custodia' } });
  });

  it('asks one host one request at a time, with a pause between', async () => {
    requests.length = 0;
    await check();
    // One probe per link: its first request (a redirect and a GET after a refused HEAD follow at once).
    const starts = requests.filter((r) => r.method === 'HEAD' && r.path !== '/new-home').map((r) => r.at).sort((a, b) => a - b);
    expect(starts).toHaveLength(6);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(45);
  });

  it('raises an oversight alert for each broken link, kept from when it first broke until it answers again', async () => {
    const alerts = (await t.http.get('/api/v1/oversight/alerts').set(bearer(oversight)).expect(200)).body;
    expect(alerts.counts['legal-link-broken']).toBe(3);
    const first = alerts.items.find((a: { kind: string; message: string }) => a.kind === 'legal-link-broken' && a.message.includes('/gone'));
    expect(first).toMatchObject({ toolId, link: `/api/v1/tools/${toolId}`, since: expect.any(String) });
    expect(first.message).toMatch(/^A legal-basis link does not answer: http:\/\/127\.0\.0\.1:\d+\/gone \(HTTP 404, checked \d{4}-\d\d-\d\d\)\.$/);

    gone = '/nothing-is-gone-now'; // the law is back at its address
    await check();
    const after = (await t.http.get('/api/v1/oversight/alerts').set(bearer(oversight)).expect(200)).body;
    expect(after.counts['legal-link-broken']).toBe(2);
    const links = (await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editor)).expect(200)).body.legalLinks;
    expect(links.find((l: { url: string }) => l.url.endsWith('/gone'))).toMatchObject({ outcome: 'ok', brokenSince: null });
  });
});
