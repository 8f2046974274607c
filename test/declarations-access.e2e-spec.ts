import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// Every route of the declarations, called by every kind of caller, with the status each must get
// (PRODUCT.md "Who uses it"; CONTRACT.md: another agency's record answers 404, not 403).
// Writes that an allowed caller may make are sent so that they fail after the access check in
// a known way (a stale If-Match → 412, a refused authorisation → 409, a closed finding → 409),
// or succeed harmlessly (201), so that the table reads the same whatever order it runs in.

const CALLERS = ['anonymous', 'editor', 'approver', 'otherAgency', 'oversight', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
type Expect = Record<Caller, number>;

const only = (allowed: Partial<Expect>, otherAgency: number, denied = 403): Expect => ({
  anonymous: 401,
  editor: denied,
  approver: denied,
  oversight: denied,
  admin: denied,
  otherAgency,
  ...allowed,
});

describe('who may call each declarations route', () => {
  let t: TestApp;
  const tokens = {} as Record<Caller, string | undefined>;
  const ids = { tool: '', refusedAuthorisation: '', finding: '', closedFinding: '' };
  const STALE = '"stale"';

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.token(['admin']);
    const agency = (name: string, country: string) => t.createAgency(name, country, 'judiciary');
    const agencyId = await agency('Poder Judicial', 'CR');
    const otherAgencyId = await agency('Poder Judiciário', 'BR');
    tokens.anonymous = undefined;
    tokens.editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    tokens.approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    tokens.otherAgency = await t.token(['agency_editor', 'agency_approver'], { agencyId: otherAgencyId, sub: 'other' });
    tokens.oversight = await t.token(['oversight'], { sub: 'oversight' });
    tokens.admin = admin;

    const as = bearer;
    ids.tool = (await t.http.post('/api/v1/tools').set(as(tokens.editor)).send({ content: exampleDeclaration() }).expect(201)).body.id;
    ids.refusedAuthorisation = (
      await t.http.post(`/api/v1/tools/${ids.tool}/authorisations`).set(as(tokens.editor))
        .send({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-01-05', decidedOn: '2026-01-09', outcome: 'refused' } }).expect(201)
    ).body.id;
    const finding = (title: string) =>
      t.http.post(`/api/v1/tools/${ids.tool}/findings`).set(as(tokens.oversight)).send({ severity: 'low', title, body: 'x' }).expect(201);
    ids.finding = (await finding('Open')).body.id;
    ids.closedFinding = (await finding('Closed')).body.id;
    await t.http.post(`/api/v1/findings/${ids.closedFinding}/close`).set(as(tokens.oversight)).send({}).expect(200);
  });
  afterAll(() => t.close());

  const readers = only({ editor: 200, approver: 200, oversight: 200 }, 404);
  const routes: Array<{ name: string; method: 'get' | 'post' | 'put'; path: () => string; body?: () => object; ifMatch?: string; expect: Expect }> = [
    { name: 'GET schema', method: 'get', path: () => '/api/v1/schema', expect: { anonymous: 200, editor: 200, approver: 200, otherAgency: 200, oversight: 200, admin: 200 } },
    { name: 'GET assessment schemas', method: 'get', path: () => '/api/v1/schema/assessments', expect: { anonymous: 200, editor: 200, approver: 200, otherAgency: 200, oversight: 200, admin: 200 } },
    { name: 'POST tools', method: 'post', path: () => '/api/v1/tools', body: () => ({ content: exampleDeclaration() }), expect: only({ editor: 201 }, 201) },
    { name: 'GET tools', method: 'get', path: () => '/api/v1/tools', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
    { name: 'GET tool', method: 'get', path: () => `/api/v1/tools/${ids.tool}`, expect: readers },
    { name: 'GET revisions', method: 'get', path: () => `/api/v1/tools/${ids.tool}/revisions`, expect: readers },
    { name: 'GET revision', method: 'get', path: () => `/api/v1/tools/${ids.tool}/revisions/1`, expect: readers },
    { name: 'PUT draft', method: 'put', path: () => `/api/v1/tools/${ids.tool}/draft`, body: () => ({ content: exampleDeclaration() }), ifMatch: STALE, expect: only({ editor: 412 }, 404) },
    { name: 'PUT redactions', method: 'put', path: () => `/api/v1/tools/${ids.tool}/redactions`, body: () => ({ redactions: [] }), ifMatch: STALE, expect: only({ editor: 412 }, 404) },
    { name: 'POST submit', method: 'post', path: () => `/api/v1/tools/${ids.tool}/submit`, ifMatch: STALE, expect: only({ editor: 412 }, 404) },
    { name: 'POST publish', method: 'post', path: () => `/api/v1/tools/${ids.tool}/publish`, ifMatch: STALE, expect: only({ approver: 412 }, 404) },
    { name: 'POST reject', method: 'post', path: () => `/api/v1/tools/${ids.tool}/reject`, body: () => ({ reason: 'x' }), ifMatch: STALE, expect: only({ approver: 412 }, 404) },
    { name: 'POST assessment', method: 'post', path: () => `/api/v1/tools/${ids.tool}/assessments`, body: () => ({ kind: 'dpia', content: exampleAssessment('dpia') }), expect: only({ editor: 201, approver: 201 }, 404) },
    { name: 'GET assessments', method: 'get', path: () => `/api/v1/tools/${ids.tool}/assessments`, expect: readers },
    {
      name: 'POST authorisation',
      method: 'post',
      path: () => `/api/v1/tools/${ids.tool}/authorisations`,
      body: () => ({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-02-01', outcome: 'pending' } }),
      expect: only({ editor: 201, approver: 201 }, 404),
    },
    { name: 'GET authorisations', method: 'get', path: () => `/api/v1/tools/${ids.tool}/authorisations`, expect: readers },
    { name: 'POST revoke', method: 'post', path: () => `/api/v1/authorisations/${ids.refusedAuthorisation}/revoke`, body: () => ({ reason: 'x' }), expect: only({ editor: 409, approver: 409 }, 404) },
    { name: 'POST finding', method: 'post', path: () => `/api/v1/tools/${ids.tool}/findings`, body: () => ({ severity: 'low', title: 't', body: 'b' }), expect: only({ oversight: 201 }, 403) },
    { name: 'GET findings', method: 'get', path: () => '/api/v1/findings', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
    { name: 'GET finding', method: 'get', path: () => `/api/v1/findings/${ids.finding}`, expect: readers },
    { name: 'POST response', method: 'post', path: () => `/api/v1/findings/${ids.finding}/responses`, body: () => ({ body: 'Answer.' }), expect: only({ editor: 201, approver: 201 }, 404) },
    { name: 'POST close', method: 'post', path: () => `/api/v1/findings/${ids.closedFinding}/close`, body: () => ({}), expect: only({ oversight: 409 }, 403) },
    { name: 'GET alerts', method: 'get', path: () => '/api/v1/oversight/alerts', expect: only({ oversight: 200 }, 403) },
  ];

  it('answers every route and caller as the table says', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const route of routes) {
      for (const caller of CALLERS) {
        let request = t.http[route.method](route.path());
        const token = tokens[caller];
        if (token) request = request.set('Authorization', `Bearer ${token}`);
        if (route.ifMatch) request = request.set('If-Match', route.ifMatch);
        const res = await (route.body ? request.send(route.body()) : request);
        got.push(`${route.name} as ${caller}: ${res.status}`);
        want.push(`${route.name} as ${caller}: ${route.expect[caller]}`);
      }
    }
    expect(got).toEqual(want);
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
