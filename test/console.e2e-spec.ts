import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';

type Agent = TestAgent;

/** The CSRF token of an agent's session, as its pages carry it in every form. */
async function csrfOf(agent: Agent, page = '/console/en/sign-in'): Promise<string> {
  const res = await agent.get(page);
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error(`no CSRF token on ${page} (${res.status})`);
  return token;
}

/** A browser-like client signed in through the development sign-in. */
async function signedIn(t: TestApp, person: string, roles: string[], agencyId?: string): Promise<Agent> {
  const agent = request.agent(t.app.getHttpServer());
  const _csrf = await csrfOf(agent);
  await agent.post('/console/en/sign-in/development').type('form').send({ _csrf, person, roles, ...(agencyId ? { agencyId } : {}) }).expect(303);
  return agent;
}

/** Every route the console's controllers serve, as the HTTP router lists them. */
function consoleRoutes(t: TestApp): string[] {
  const instance = t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  // Nest mounts a route's middleware as routes of the same path: each is listed once.
  const routes = instance.router.stack
    .filter((layer) => layer.route?.path.startsWith('/console'))
    .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/\/$/, '')}`));
  return [...new Set(routes)];
}

// What a console page must never do, whoever asks: act without the session's CSRF token, show
// another agency's records, or outlive signing out.
describe('the console: sessions, CSRF and agency isolation', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let editor: Agent;
  let otherAgency: Agent;

  beforeAll(async () => {
    t = await startTestApp();
    ids.agency = await t.createAgency('Policía de Prueba', 'CR', 'police');
    ids.otherAgency = await t.createAgency('Polícia de Teste', 'BR', 'police');
    const apiEditor = await t.token(['agency_editor'], { agencyId: ids.agency, sub: 'api-editor' });
    const oversight = await t.token(['oversight'], { sub: 'api-oversight' });
    const content = exampleDeclaration() as Record<string, Record<string, unknown>>;
    content.identity.name = 'Herramienta secreta de la agencia A';
    const created = await t.http.post('/api/v1/tools').set(bearer(apiEditor)).send({ content }).expect(201);
    ids.tool = created.body.id;
    ids.reference = created.body.reference;
    const submitted = await t.http.post(`/api/v1/tools/${ids.tool}/submit`).set(bearer(apiEditor)).set('If-Match', created.headers.etag).expect(200);
    const apiApprover = await t.token(['agency_approver'], { agencyId: ids.agency, sub: 'api-approver' });
    await t.http.post(`/api/v1/tools/${ids.tool}/publish`).set(bearer(apiApprover)).set('If-Match', submitted.headers.etag).expect(200);
    ids.authorisation = (await t.http.post(`/api/v1/tools/${ids.tool}/authorisations`).set(bearer(apiEditor)).send({ content: {
      authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-01-05', decidedOn: '2026-01-09', outcome: 'granted', validFrom: '2026-01-10', validUntil: '2099-01-09',
    } }).expect(201)).body.id;
    ids.incident = (await t.http.post(`/api/v1/tools/${ids.tool}/incidents`).set(bearer(apiEditor))
      .send({ content: { kind: 'fundamental_rights', foundOn: '2026-11-02', summary: 'Wrong person flagged.', status: 'open' } }).expect(201)).body.id;
    ids.report = (await t.http.post(`/api/v1/public/tools/${ids.tool}/reports`).send({ text: 'The link to the law is broken.' }).expect(201)).body.id;
    ids.finding = (await t.http.post(`/api/v1/tools/${ids.tool}/findings`).set(bearer(oversight)).send({ severity: 'low', title: 'Hallazgo A', body: 'x' }).expect(201)).body.id;
    editor = await signedIn(t, 'ana', ['agency_editor'], ids.agency);
    // Another agency's editor and approver at once: every role check passes, only the agency differs.
    otherAgency = await signedIn(t, 'bea', ['agency_editor', 'agency_approver'], ids.otherAgency);
  });
  afterAll(() => t?.close());

  const changes = async () => {
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const revisions = await t.sql('SELECT tool_id, number, status, content FROM tool_revisions ORDER BY tool_id, number');
    return { entries: Number(n), revisions };
  };

  it('keeps the session id in an HttpOnly, SameSite cookie scoped to /console', async () => {
    const plain = await request(t.app.getHttpServer()).get('/console/en/sign-in').expect(200);
    const cookie = String(plain.headers['set-cookie']);
    expect(cookie).toMatch(/^custodia_console=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/console');
    expect(cookie).not.toContain('Secure');
    // The page holds no token: only the opaque session id travels.
    expect(plain.text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  it('changes nothing when a form comes without the CSRF token or with a wrong one', async () => {
    const before = await changes();
    const form = { etag: '"x"', 'f.identity.name': 'Changed by a forged form' };
    for (const _csrf of [undefined, 'f'.repeat(64)]) {
      const res = await editor.post(`/console/en/tools/${ids.tool}/draft`).type('form').send(_csrf ? { ...form, _csrf } : form);
      expect(res.status).toBe(403);
      expect(res.text).toContain('The form has expired');
    }
    // A token of another session is just as wrong.
    const othersToken = await csrfOf(otherAgency, '/console/en');
    expect((await editor.post(`/console/en/tools/${ids.tool}/submit`).type('form').send({ _csrf: othersToken })).status).toBe(403);
    // Signing in needs the token too (no login CSRF).
    const fresh = request.agent(t.app.getHttpServer());
    await fresh.get('/console/en/sign-in').expect(200);
    expect((await fresh.post('/console/en/sign-in/development').type('form').send({ person: 'mallory', roles: 'oversight' })).status).toBe(403);
    await fresh.get('/console/en/tools').expect(303);
    expect(await changes()).toEqual(before);
  });

  it("lets another agency's staff reach none of agency A's records through any console URL", async () => {
    const paths: Record<string, string> = {
      'GET /console/:lang/tools/:id': `/console/en/tools/${ids.tool}`,
      'GET /console/:lang/tools/:id/edit': `/console/en/tools/${ids.tool}/edit`,
      'POST /console/:lang/tools/:id/draft': `/console/en/tools/${ids.tool}/draft`,
      'POST /console/:lang/tools/:id/submit': `/console/en/tools/${ids.tool}/submit`,
      'GET /console/:lang/tools/:id/review': `/console/en/tools/${ids.tool}/review`,
      'POST /console/:lang/tools/:id/publish': `/console/en/tools/${ids.tool}/publish`,
      'POST /console/:lang/tools/:id/reject': `/console/en/tools/${ids.tool}/reject`,
      'GET /console/:lang/tools/:id/assessments/new': `/console/en/tools/${ids.tool}/assessments/new?kind=fria`,
      'POST /console/:lang/tools/:id/assessments': `/console/en/tools/${ids.tool}/assessments`,
      'GET /console/:lang/findings/:fid': `/console/en/findings/${ids.finding}`,
      'POST /console/:lang/findings/:fid/responses': `/console/en/findings/${ids.finding}/responses`,
      'GET /console/:lang/tools/:id/authorisations/new': `/console/en/tools/${ids.tool}/authorisations/new`,
      'POST /console/:lang/tools/:id/authorisations': `/console/en/tools/${ids.tool}/authorisations`,
      'POST /console/:lang/authorisations/:aid/revoke': `/console/en/authorisations/${ids.authorisation}/revoke`,
      'GET /console/:lang/tools/:id/incidents/new': `/console/en/tools/${ids.tool}/incidents/new`,
      'POST /console/:lang/tools/:id/incidents': `/console/en/tools/${ids.tool}/incidents`,
      'GET /console/:lang/incidents/:iid': `/console/en/incidents/${ids.incident}`,
      'POST /console/:lang/incidents/:iid/versions': `/console/en/incidents/${ids.incident}/versions`,
      'POST /console/:lang/reports/:rid/:step': `/console/en/reports/${ids.report}/answer`,
      'GET /console/:lang/tools/:id/redactions': `/console/en/tools/${ids.tool}/redactions`,
      'POST /console/:lang/tools/:id/redactions': `/console/en/tools/${ids.tool}/redactions`,
    };
    // Routes about no record of A, or for roles the other agency's staff do not hold.
    const notAboutARecord: Record<string, string> = {
      'GET /console': '/console',
      'GET /console/:lang': '/console/en',
      'GET /console/:lang/sign-in': '/console/en/sign-in',
      'POST /console/:lang/sign-in/development': '/console/en/sign-in/development',
      'POST /console/:lang/sign-out': '/console/en/sign-out',
      'GET /console/:lang/tools': '/console/en/tools',
      'GET /console/:lang/tools/new': '/console/en/tools/new',
      'GET /console/:lang/tools/import': '/console/en/tools/import',
      'POST /console/:lang/tools/import': '/console/en/tools/import',
      'POST /console/:lang/tools': '/console/en/tools',
      'GET /console/:lang/tools/:id/findings/new': `/console/en/tools/${ids.tool}/findings/new`,
      'POST /console/:lang/tools/:id/findings': `/console/en/tools/${ids.tool}/findings`,
      'POST /console/:lang/findings/:fid/close': `/console/en/findings/${ids.finding}/close`,
      'GET /console/:lang/findings': '/console/en/findings',
      'GET /console/:lang/reports': '/console/en/reports',
      'GET /console/:lang/incidents': '/console/en/incidents',
      'GET /console/:lang/alerts': '/console/en/alerts',
      'GET /console/:lang/log': '/console/en/log',
      'GET /console/:lang/agencies': '/console/en/agencies',
      'POST /console/:lang/agencies': '/console/en/agencies',
      'GET /console/:lang/agencies/:id/edit': `/console/en/agencies/${ids.agency}/edit`,
      'POST /console/:lang/agencies/:id': `/console/en/agencies/${ids.agency}`,
    };
    expect(consoleRoutes(t).sort()).toEqual([...Object.keys(paths), ...Object.keys(notAboutARecord)].sort());

    const before = await changes();
    const _csrf = await csrfOf(otherAgency, '/console/en');
    const form = { _csrf, etag: '"x"', reason: 'x', reply: 'x', kind: 'fria', body: 'x', 'f.identity.name': 'x', 'f.completedOn': '2026-01-01', 'f.kind': 'death', 'f.status': 'open', 'withhold.identity.version': 'true' };
    const got: string[] = [];
    for (const [route, path] of Object.entries(paths)) {
      const res = route.startsWith('POST') ? await otherAgency.post(path).type('form').send(form) : await otherAgency.get(path);
      got.push(`${route}: ${res.status}`);
      expect(res.text).not.toContain(ids.reference);
      expect(res.text).not.toContain('Herramienta secreta');
    }
    expect(got).toEqual(Object.keys(paths).map((route) => `${route}: 404`));
    // Their list holds none of A's tools; the oversight-only pages refuse them.
    const list = await otherAgency.get('/console/en/tools?q=Herramienta').expect(200);
    expect(list.text).toContain('No tool matches.');
    const findings = await otherAgency.get('/console/en/findings').expect(200);
    expect(findings.text).toContain('No finding matches.');
    expect(findings.text).not.toContain('Hallazgo A');
    const reports = await otherAgency.get('/console/en/reports').expect(200);
    expect(reports.text).toContain('No report is waiting for an answer.');
    expect(reports.text).not.toContain('The link to the law is broken.');
    expect(reports.text).not.toContain(ids.reference);
    const incidents = await otherAgency.get('/console/en/incidents').expect(200);
    expect(incidents.text).toContain('No incident matches.');
    expect(incidents.text).not.toContain(ids.reference);
    // Their own agency's reports page with A's report visible to A's editor, by contrast.
    const own = await editor.get('/console/en/reports').expect(200);
    expect(own.text).toContain('The link to the law is broken.');
    expect(own.text).toContain(ids.reference);
    const ownIncidents = await editor.get('/console/en/incidents').expect(200);
    expect(ownIncidents.text).toContain(`href="/console/en/incidents/${ids.incident}"`);
    // The pages of roles they do not hold refuse them, before anything is looked up.
    for (const route of ['GET /console/:lang/tools/:id/findings/new', 'GET /console/:lang/alerts', 'GET /console/:lang/log', 'GET /console/:lang/agencies', 'GET /console/:lang/agencies/:id/edit']) {
      expect([route, (await otherAgency.get(notAboutARecord[route])).status]).toEqual([route, 403]);
    }
    for (const route of ['POST /console/:lang/tools/:id/findings', 'POST /console/:lang/findings/:fid/close', 'POST /console/:lang/agencies', 'POST /console/:lang/agencies/:id']) {
      expect([route, (await otherAgency.post(notAboutARecord[route]).type('form').send({ ...form, name: 'x', country: 'BR', kind: 'police' })).status]).toEqual([route, 403]);
    }
    expect(await changes()).toEqual(before);
  });

  it('sends someone not signed in to the sign-in page, and back to where they were going', async () => {
    const res = await request(t.app.getHttpServer()).get(`/console/en/tools/${ids.tool}`).expect(303);
    expect(res.headers.location).toBe(`/console/en/sign-in?next=${encodeURIComponent(`/console/en/tools/${ids.tool}`)}`);
    // A next= pointing elsewhere is not followed.
    const agent = request.agent(t.app.getHttpServer());
    const _csrf = await csrfOf(agent);
    const signIn = await agent.post('/console/en/sign-in/development').type('form')
      .send({ _csrf, person: 'carla', roles: 'oversight', next: 'https://evil.example/console/en' }).expect(303);
    expect(signIn.headers.location).toBe('/console/en');
  });

  it('ends the session on the server at sign-out: the old cookie, replayed, gets the sign-in page', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const _csrf = await csrfOf(agent);
    const signIn = await agent.post('/console/en/sign-in/development').type('form')
      .send({ _csrf, person: 'dora', roles: 'agency_editor', agencyId: ids.agency });
    expect([signIn.status, /error-summary[\s\S]*?<\/ul>/.exec(signIn.text)?.[0]]).toEqual([303, undefined]);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
    await request(t.app.getHttpServer()).get(`/console/en/tools/${ids.tool}`).set('Cookie', cookie).expect(200);
    expect(await t.sql('SELECT sid FROM console_sessions WHERE sid = $1', [sid])).toHaveLength(1);

    const token = await csrfOf(agent, '/console/en');
    const out = await agent.post('/console/en/sign-out').type('form').send({ _csrf: token }).expect(303);
    expect(out.headers.location).toBe('/console/en/sign-in?signed-out');
    expect(String(out.headers['set-cookie'])).toMatch(/^custodia_console=;/);
    expect(await t.sql('SELECT sid FROM console_sessions WHERE sid = $1', [sid])).toEqual([]);
    const replay = await request(t.app.getHttpServer()).get(`/console/en/tools/${ids.tool}`).set('Cookie', cookie).expect(303);
    expect(replay.headers.location).toMatch(/^\/console\/en\/sign-in\?next=/);
  });
});

describe("the console's rules are the API's", () => {
  let t: TestApp;
  let agencyId: string;
  let toolId: string;

  beforeAll(async () => {
    t = await startTestApp();
    agencyId = await t.createAgency('Tribunal de Prueba', 'CL', 'judiciary');
  });
  afterAll(() => t?.close());

  const etagOn = (html: string) => /name="etag" value="([^"]+)"/.exec(html)?.[1].replace(/&quot;/g, '"');

  it('refuses a save made on a stale page (If-Match), keeping what was typed, and changes nothing', async () => {
    const ana = await signedIn(t, 'ana', ['agency_editor'], agencyId);
    const _csrf = await csrfOf(ana, '/console/en/tools/new');
    const created = await ana.post('/console/en/tools').type('form').send({ _csrf, 'f.identity.name': 'Versión uno' }).expect(303);
    toolId = created.headers.location.split('/').pop()!;
    const bea = await signedIn(t, 'bea', ['agency_editor'], agencyId);
    const anaPage = await ana.get(`/console/en/tools/${toolId}/edit`).expect(200);
    const beaPage = await bea.get(`/console/en/tools/${toolId}/edit`).expect(200);
    await bea.post(`/console/en/tools/${toolId}/draft`).type('form')
      .send({ _csrf: await csrfOf(bea, '/console/en'), etag: etagOn(beaPage.text), 'f.identity.name': 'Versión de Bea' }).expect(303);
    const stale = await ana.post(`/console/en/tools/${toolId}/draft`).type('form').send({ _csrf, etag: etagOn(anaPage.text), 'f.identity.name': 'Versión de Ana' });
    expect(stale.status).toBe(412);
    expect(stale.text).toContain('Someone changed this record after you opened it. Nothing was saved');
    expect(stale.text).toContain('value="Versión de Ana"');
    const [row] = await t.sql<{ content: { identity: { name: string } } }>('SELECT content FROM tool_revisions WHERE tool_id = $1', [toolId]);
    expect(row.content.identity.name).toBe('Versión de Bea');
  });

  it('lets an approver reject a submitted revision only with a reason, which its author then reads', async () => {
    const content = exampleDeclaration();
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    const api = await t.http.put(`/api/v1/tools/${toolId}/draft`).set(bearer(editorToken))
      .set('If-Match', (await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editorToken))).headers.etag).send({ content }).expect(200);
    await t.http.post(`/api/v1/tools/${toolId}/submit`).set(bearer(editorToken)).set('If-Match', api.headers.etag).expect(200);
    const approver = await signedIn(t, 'dario', ['agency_approver'], agencyId);
    const review = await approver.get(`/console/en/tools/${toolId}/review`).expect(200);
    const _csrf = await csrfOf(approver, '/console/en');
    const empty = await approver.post(`/console/en/tools/${toolId}/reject`).type('form').send({ _csrf, etag: etagOn(review.text), reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('This is required.');
    await approver.post(`/console/en/tools/${toolId}/reject`).type('form').send({ _csrf, etag: etagOn(review.text), reason: 'The legal basis cites a repealed article.' }).expect(303);
    const author = await signedIn(t, 'carmen', ['agency_editor'], agencyId);
    const page = await author.get(`/console/en/tools/${toolId}`).expect(200);
    expect(page.text).toContain('Rejected');
    expect(page.text).toContain('The legal basis cites a repealed article.');
  });

  const logged = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue'))[0].n);
  /** The text of the error shown beside a form of the tool's page (its id-error paragraph). */
  const besideForm = (html: string, form: string) => new RegExp(`<p class="error" id="${form}-error">([^<]*)</p>`).exec(html)?.[1];

  it("shows a refused revocation beside its form on the tool's page, keeping what was typed, and changes nothing", async () => {
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'elena' });
    const authorisation = (await t.http.post(`/api/v1/tools/${toolId}/authorisations`).set(bearer(editorToken)).send({ content: {
      authorityType: 'judicial', authority: 'Juzgado de Garantía', requestedOn: '2026-02-01', decidedOn: '2026-02-03', outcome: 'granted', validFrom: '2026-02-04', validUntil: '2099-02-03',
    } }).expect(201)).body.id as string;
    const elena = await signedIn(t, 'elena', ['agency_editor'], agencyId);
    const page = await elena.get(`/console/en/tools/${toolId}`).expect(200);
    expect(page.text).toContain(`name="toolId" value="${toolId}"`);
    const _csrf = await csrfOf(elena, `/console/en/tools/${toolId}`);
    const before = await logged();

    // A browser without the form's own check sends it empty: the rule's words, beside that form.
    const empty = await elena.post(`/console/en/authorisations/${authorisation}/revoke`).type('form').send({ _csrf, toolId, reason: '   ' });
    expect(empty.status).toBe(400);
    expect(besideForm(empty.text, `revoke-${authorisation}`)).toMatch(/^Not done: .*required/);
    expect(empty.text).toMatch(new RegExp(`<a href="#revoke-${authorisation}">Reason for revoking: .*required`));
    expect(await logged()).toBe(before);

    await elena.post(`/console/en/authorisations/${authorisation}/revoke`).type('form').send({ _csrf, toolId, reason: 'The court annulled its order.' }).expect(303);
    expect(await logged()).toBe(before + 1);
    // Revoked twice (a second tab): refused in words on the tool's page, not as an error page.
    const again = await elena.post(`/console/en/authorisations/${authorisation}/revoke`).type('form').send({ _csrf, toolId, reason: 'Once more' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('This could not be done');
    expect(again.text).toContain('Only a granted authorisation can be revoked; this one is revoked.');
    expect(again.text).toContain('The court annulled its order.');
    expect(await logged()).toBe(before + 1);
  });

  it("shows a refused answer to a public report beside it, keeps the words typed, and lets it be dismissed", async () => {
    // Reports are about what the public reads: the rejected revision, mended, is published first.
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    const current = await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editorToken)).expect(200);
    const saved = await t.http.put(`/api/v1/tools/${toolId}/draft`).set(bearer(editorToken)).set('If-Match', current.headers.etag)
      .send({ content: current.body.revision.content }).expect(200);
    const submitted = await t.http.post(`/api/v1/tools/${toolId}/submit`).set(bearer(editorToken)).set('If-Match', saved.headers.etag).expect(200);
    const approverToken = await t.token(['agency_approver'], { agencyId, sub: 'dario' });
    await t.http.post(`/api/v1/tools/${toolId}/publish`).set(bearer(approverToken)).set('If-Match', submitted.headers.etag).expect(200);
    const report = (await t.http.post(`/api/v1/public/tools/${toolId}/reports`).send({ text: 'The page names the wrong court.' }).expect(201)).body.id as string;
    const approver = await signedIn(t, 'fabio', ['agency_approver'], agencyId);
    const _csrf = await csrfOf(approver, `/console/en/tools/${toolId}`);
    const before = await logged();
    const tooLong = 'x'.repeat(4001);
    const refused = await approver.post(`/console/en/reports/${report}/answer`).type('form').send({ _csrf, toolId, reply: tooLong });
    expect(refused.status).toBe(400);
    expect(besideForm(refused.text, `reply-${report}`)).toMatch(/^Not done: .*4000/);
    expect(refused.text).toContain(`>${tooLong}</textarea>`);
    expect(await logged()).toBe(before);

    await approver.post(`/console/en/reports/${report}/dismiss`).type('form').send({ _csrf, toolId, reply: 'The court named is the one that authorised the tool.' }).expect(303);
    const page = await approver.get(`/console/en/tools/${toolId}`).expect(200);
    expect(page.text).toContain('Dismissed');
    expect(page.text).toContain('The court named is the one that authorised the tool.');
    const [row] = await t.sql<{ status: string }>('SELECT status FROM public_reports WHERE id = $1', [report]);
    expect(row.status).toBe('dismissed');
  });

  it('lists the public reports of the agency by status, those waiting first, each linking to its tool', async () => {
    const fabio = await signedIn(t, 'fabio', ['agency_approver'], agencyId);
    await t.http.post(`/api/v1/public/tools/${toolId}/reports`).send({ text: 'The contact address of the court is outdated.' }).expect(201);
    const waiting = await fabio.get('/console/en/reports').expect(200);
    expect(waiting.text).toContain('Reports: Received');
    expect(waiting.text).toContain('The contact address of the court is outdated.');
    expect(waiting.text).not.toContain('The page names the wrong court.');
    expect(waiting.text).toContain(`href="/console/en/tools/${toolId}#reports"`);
    const dismissed = await fabio.get('/console/en/reports?status=dismissed').expect(200);
    expect(dismissed.text).toContain('The page names the wrong court.');
    expect(dismissed.text).toContain('The court named is the one that authorised the tool.');
    expect((await fabio.get('/console/en/reports?status=lost')).status).toBe(400);
  });

  it("lists the agency's serious incidents across its tools, newest first, by status, with each notification's deadline", async () => {
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    const record = async (content: Record<string, unknown>) => (await t.http.post(`/api/v1/tools/${toolId}/incidents`).set(bearer(editorToken)).send({ content }).expect(201)).body.id as string;
    const overdue = await record({ kind: 'fundamental_rights', foundOn: '2026-01-02', summary: 'A wrong match was acted on.', status: 'investigating' });
    const notified = await record({ kind: 'death', foundOn: '2026-02-01', notifiedOn: '2026-02-20', summary: 'x', status: 'closed' });
    const api = await t.http.get('/api/v1/incidents?limit=1').set(bearer(editorToken)).expect(200);
    expect(api.body.items.map((i: { id: string }) => i.id)).toEqual([notified]);
    const older = await t.http.get(`/api/v1/incidents?limit=1&cursor=${encodeURIComponent(api.body.nextCursor)}`).set(bearer(editorToken)).expect(200);
    expect(older.body.items.map((i: { id: string }) => i.id)).toEqual([overdue]);
    expect((await t.http.get('/api/v1/incidents?status=lost').set(bearer(editorToken))).status).toBe(400);

    const carmen = await signedIn(t, 'carmen', ['agency_editor'], agencyId);
    const all = await carmen.get('/console/en/incidents').expect(200);
    expect(all.text.indexOf(`/incidents/${notified}"`)).toBeLessThan(all.text.indexOf(`/incidents/${overdue}"`));
    const row = (html: string, id: string) => { const at = html.slice(html.indexOf(`/incidents/${id}"`)); return at.slice(0, at.indexOf('</tr>')); };
    expect(row(all.text, overdue)).toContain('Due by January 17, 2026');
    expect(row(all.text, overdue)).toContain('Notification overdue');
    expect(row(all.text, notified)).toContain('Notified on February 20, 2026');
    expect(row(all.text, notified)).toContain('Notified late');
    const investigating = await carmen.get('/console/en/incidents?status=investigating').expect(200);
    expect(investigating.text).toContain(`/incidents/${overdue}"`);
    expect(investigating.text).not.toContain(`/incidents/${notified}"`);
  });

  it("lists a tool's findings and log entries a page at a time, with the way to the rest", async () => {
    const oversightToken = await t.token(['oversight'], { sub: 'gala' });
    for (let n = 1; n <= 23; n++) {
      await t.http.post(`/api/v1/tools/${toolId}/findings`).set(bearer(oversightToken)).send({ severity: 'low', title: `Observation ${String(n).padStart(2, '0')}`, body: 'x' }).expect(201);
    }
    const gala = await signedIn(t, 'gala', ['oversight']);
    const first = await gala.get(`/console/en/tools/${toolId}`).expect(200);
    const titles = (html: string) => [...html.matchAll(/>(Observation \d\d)</g)].map((m) => m[1]);
    expect(titles(first.text)).toHaveLength(20);
    const more = /<a href="([^"]*\?findings=[^"]+)" rel="next">More<\/a>/.exec(first.text)?.[1];
    expect(more).toBeDefined();
    const second = await gala.get(more!.replace(/&amp;/g, '&')).expect(200);
    expect(titles(second.text)).toHaveLength(3);
    expect(new Set([...titles(first.text), ...titles(second.text)]).size).toBe(23);
    expect(second.text).toContain('Back to the first');

    // The tool's own log entries (created, saved, submitted, rejected...; more drafts saved): 20 a page.
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    for (let n = 0; n < 15; n++) {
      const current = await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editorToken)).expect(200);
      const content = { ...current.body.revision.content, identity: { ...current.body.revision.content.identity, shortDescription: `Draft ${n}` } };
      await t.http.put(`/api/v1/tools/${toolId}/draft`).set(bearer(editorToken)).set('If-Match', current.headers.etag).send({ content }).expect(200);
    }
    const entries = Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue WHERE subject_id = $1', [toolId]))[0].n);
    const indexes = (html: string) => [...html.slice(html.indexOf('id="log"')).matchAll(/<tr><td><code>(\d+)<\/code>/g)].map((m) => Number(m[1]));
    await waitForTreeSize(t.http, await logged());
    expect(entries).toBeGreaterThan(20);
    const seen: number[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const page = (await gala.get(`/console/en/tools/${toolId}${seen.length ? `?entries=${seen[seen.length - 1] + 1}` : ''}`).expect(200)).text;
      const shown = indexes(page);
      expect(shown.length).toBeLessThanOrEqual(20);
      seen.push(...shown);
      if (!/\?entries=\d+#log" rel="next"/.test(page)) break;
    }
    expect(seen).toHaveLength(entries);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const bad = await gala.get(`/console/en/tools/${toolId}?entries=-1`);
    expect(bad.status).toBe(400);
  });

  it('shows the approver a later revision field by field against the one the public sees', async () => {
    // The tool is published (above) and a draft since changed its short description only.
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    const current = await t.http.get(`/api/v1/tools/${toolId}`).set(bearer(editorToken)).expect(200);
    const published = (await t.http.get(`/api/v1/public/tools/${toolId}`).expect(200)).body;
    const before = published.revision?.content?.identity?.shortDescription ?? published.content?.identity?.shortDescription;
    expect(before).toBeDefined();
    const after = current.body.revision.content.identity.shortDescription as string;
    expect(after).not.toBe(before);
    await t.http.post(`/api/v1/tools/${toolId}/submit`).set(bearer(editorToken)).set('If-Match', current.headers.etag).expect(200);
    const approver = await signedIn(t, 'dario', ['agency_approver'], agencyId);
    const review = await approver.get(`/console/en/tools/${toolId}/review`).expect(200);
    expect(review.text).toContain(`Revision ${current.body.revision.number} compared with revision ${current.body.publishedRevision}, the one the public sees now.`);
    const rows = [...review.text.matchAll(/<tr class="(\w+)"><th scope="row">([^<]+?) <span class="change">/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([['changed', 'Identity › Short description']]);
    const row = review.text.slice(review.text.indexOf('<tr class="changed">'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain(before);
    expect(row.slice(0, row.indexOf('</tr>'))).toContain(after);
  });

  it('lists the alerts 50 a page, by kind, and the agencies by country and kind, a page at a time', async () => {
    const editorToken = await t.token(['agency_editor'], { agencyId, sub: 'carmen' });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    for (let n = 0; n < 55; n++) {
      await t.http.post(`/api/v1/tools/${toolId}/authorisations`).set(bearer(editorToken)).send({ content: {
        authorityType: 'judicial', authority: `Juzgado ${n}`, requestedOn: day(-20), decidedOn: day(-19), outcome: 'granted', validFrom: day(-18), validUntil: day(10),
      } }).expect(201);
    }
    const oversight = await signedIn(t, 'hugo', ['oversight']);
    const expiring = (html: string) => (html.match(/<tr class="alert-authorisation-expiring">/g) ?? []).length;
    const first = await oversight.get('/console/en/alerts?kind=authorisation-expiring').expect(200);
    expect(expiring(first.text)).toBe(50);
    expect(first.text).toContain('Alerts 1–50 of 55');
    const next = /<a href="([^"]+)" rel="next">/.exec(first.text)![1].replace(/&amp;/g, '&');
    expect(next).toBe('/console/en/alerts?kind=authorisation-expiring&page=2');
    const second = await oversight.get(next).expect(200);
    expect(expiring(second.text)).toBe(5);
    expect(second.text).toContain('Alerts 51–55 of 55');
    expect(second.text).toContain('rel="prev"');
    expect((await oversight.get('/console/en/alerts?page=0')).status).toBe(400);

    for (let n = 0; n < 52; n++) await t.createAgency(`Juzgado de Paz ${String(n).padStart(2, '0')}`, 'PE', 'judiciary');
    const admin = await signedIn(t, 'iris', ['admin']);
    const names = (html: string) => [...html.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
    const peru = await admin.get('/console/en/agencies?country=pe&kind=judiciary').expect(200);
    expect(names(peru.text)).toHaveLength(50);
    expect(names(peru.text).every((name) => name.startsWith('Juzgado de Paz'))).toBe(true);
    const rest = await admin.get(`/console/en/agencies${/href="\/console\/en\/agencies(\?[^"]+)" rel="next"/.exec(peru.text)![1].replace(/&amp;/g, '&')}`).expect(200);
    expect(names(rest.text)).toHaveLength(2);
    expect(new Set([...names(peru.text), ...names(rest.text)]).size).toBe(52);
    const chile = await admin.get('/console/en/agencies?country=CL').expect(200);
    expect(names(chile.text)).toEqual(['Tribunal de Prueba']);
    expect((await admin.get('/console/en/agencies?country=Peru')).status).toBe(400);
  });
});

describe('the console with an external OpenID provider', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
      AUTH_ISSUER: 'https://idp.example/realms/custodia',
      AUTH_AUDIENCE: 'custodia',
      LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey,
    });
  });
  afterAll(() => t?.close());

  it('has no development sign-in: the form is not offered and its route answers 404', async () => {
    const page = await request(t.app.getHttpServer()).get('/console/en/sign-in').expect(200);
    expect(page.text).not.toContain('Development sign-in');
    const agent = request.agent(t.app.getHttpServer());
    await agent.get('/console/en/sign-in').expect(200);
    await agent.post('/console/en/sign-in/development').type('form').send({ person: 'ana', roles: 'admin' }).expect(404);
    await agent.get('/console/en').expect(303);
  });
});

describe('the console behind an HTTPS proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '1' });
  });
  afterAll(() => t?.close());

  it('marks the session cookie Secure when the request came over HTTPS', async () => {
    const secure = await request(t.app.getHttpServer()).get('/console/en/sign-in').set('X-Forwarded-Proto', 'https').expect(200);
    expect(String(secure.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=Lax/);
  });
});

describe('the console under a flood of anonymous sign-in visits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_RATE_LIMIT: '3' });
  });
  afterAll(() => t?.close());

  it('limits them per address as the public pages are (each may start a session)', async () => {
    for (let i = 0; i < 3; i++) await request(t.app.getHttpServer()).get('/console/en/sign-in').expect(200);
    const limited = await request(t.app.getHttpServer()).get('/console/en/sign-in').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(await t.sql('SELECT sid FROM console_sessions')).toHaveLength(3);
  });
});
