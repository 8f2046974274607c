import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { ACCESS, CALLERS, type Caller } from './access-matrix.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

// The table is in test/access-matrix.ts; this calls every operation as every caller.
describe('who may call each route', () => {
  let t: TestApp;
  const tokens = {} as Record<Caller, string | undefined>;
  const ids: Record<string, string> = {};
  const as = bearer;

  beforeAll(async () => {
    t = await startTestApp();
    const agency = (name: string, country: string) => t.createAgency(name, country, 'judiciary');
    ids.agency = await agency('Poder Judicial', 'CR');
    const otherAgencyId = await agency('Poder Judiciário', 'BR');
    tokens.anonymous = undefined;
    tokens.editor = await t.token(['agency_editor'], { agencyId: ids.agency, sub: 'editor' });
    tokens.approver = await t.token(['agency_approver'], { agencyId: ids.agency, sub: 'approver' });
    tokens.otherAgency = await t.token(['agency_editor', 'agency_approver'], { agencyId: otherAgencyId, sub: 'other' });
    tokens.oversight = await t.token(['oversight'], { sub: 'oversight' });
    tokens.admin = await t.token(['admin']);

    const created = await t.http.post('/api/v1/tools').set(as(tokens.editor)).send({ content: exampleDeclaration() }).expect(201);
    ids.tool = created.body.id;
    ids.refusedAuthorisation = (
      await t.http.post(`/api/v1/tools/${ids.tool}/authorisations`).set(as(tokens.editor))
        .send({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-01-05', decidedOn: '2026-01-09', outcome: 'refused' } }).expect(201)
    ).body.id;
    const finding = (title: string) =>
      t.http.post(`/api/v1/tools/${ids.tool}/findings`).set(as(tokens.oversight)).send({ severity: 'low', title, body: 'x' }).expect(201);
    ids.finding = (await finding('Open')).body.id;
    ids.closedFinding = (await finding('Closed')).body.id;
    await t.http.post(`/api/v1/findings/${ids.closedFinding}/close`).set(as(tokens.oversight)).send({}).expect(200);

    let published = await t.http.post('/api/v1/tools').set(as(tokens.editor)).send({ content: exampleDeclaration() }).expect(201);
    ids.publishedTool = published.body.id;
    published = await t.http.post(`/api/v1/tools/${ids.publishedTool}/submit`).set(as(tokens.editor)).set('If-Match', published.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${ids.publishedTool}/publish`).set(as(tokens.approver)).set('If-Match', published.headers.etag).expect(200);

    ids.incident = (await t.http.post(`/api/v1/tools/${ids.tool}/incidents`).set(as(tokens.editor))
      .send({ content: { kind: 'fundamental_rights', foundOn: '2026-11-02', summary: 'Wrong person flagged.', status: 'open' } }).expect(201)).body.id;
    ids.answeredReport = (await t.http.post(`/api/v1/public/tools/${ids.publishedTool}/reports`).send({ text: 'The link to the law is broken.' }).expect(201)).body.id;
    await t.http.post(`/api/v1/reports/${ids.answeredReport}/answer`).set(as(tokens.editor)).send({ reply: 'Fixed in revision 2.' }).expect(200);

    // The tool's creation is an entry about a record that is not public.
    const queued = created.headers['x-log-entry'];
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const checkpoint = await waitForTreeSize(t.http, Number(n));
    ids.privateEntry = (await t.http.get(`/api/v1/log/queue/${queued}`).set(as(tokens.admin)).expect(200)).body.index;
    ids.bundle = `000.p/${checkpoint.size}`;
  });
  afterAll(() => t.close());

  it('has an expectation for every operation of the OpenAPI document, and none for an operation it lacks', async () => {
    const document = (await t.http.get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it('answers every operation and caller as the table says', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [operation, access] of Object.entries(ACCESS)) {
      const method = operation.split(' ')[0].toLowerCase() as 'get' | 'post' | 'put';
      const path = access.path.replace(/\{(\w+)\}/g, (_, name: string) => String(ids[name]));
      for (const caller of CALLERS) {
        let request = t.http[method](path);
        const token = tokens[caller];
        if (token) request = request.set('Authorization', `Bearer ${token}`);
        if (access.ifMatch) request = request.set('If-Match', access.ifMatch);
        const res = await (access.body ? request.send(access.body()) : request);
        got.push(`${operation} as ${caller}: ${res.status}`);
        want.push(`${operation} as ${caller}: ${access.expect[caller]}`);
        expect([operation, caller, res.status < 500]).toEqual([operation, caller, true]);
      }
    }
    expect(got).toEqual(want);
    recordResult({ area: 'authorisation', tried: `every operation of the OpenAPI document (${Object.keys(ACCESS).length}) × ${CALLERS.length} callers: anonymous, each role, another agency`, cases: got.length, held: 'every status as test/access-matrix.ts expects; no 5xx; a route without an expectation fails' });
  });

  it('lists only what each caller may see', async () => {
    const count = async (caller: Caller) =>
      (await t.http.get('/api/v1/tools').set('Authorization', `Bearer ${tokens[caller]}`).query({ limit: 100 }).expect(200)).body.items.length as number;
    const own = await count('editor');
    const other = await count('otherAgency');
    expect(own).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    expect(await count('oversight')).toBe(own + other);
  });
});
