import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { contentHash } from '../apps/registry/src/log/log-entry.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';

// Reports from the public that a declaration seems wrong (the Dutch register's most asked-for feature).
describe('public error reports', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  let otherEditor: string;
  let toolId: string;
  const as = bearer;
  const CANARY_TEXT = 'CANARY-REPORT-7f3a: the retention period in section 3 contradicts the law';
  const CANARY_CONTACT = 'canary-7f3a@example.org';

  async function publishedTool(nonPublic = false): Promise<string> {
    const created = await t.http.post('/api/v1/tools').set(as(editor)).send({ content: exampleDeclaration(), nonPublic }).expect(201);
    const submitted = await t.http.post(`/api/v1/tools/${created.body.id}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${created.body.id}/publish`).set(as(approver)).set('If-Match', submitted.headers.etag).expect(200);
    return created.body.id;
  }
  const report = (id: string, body: object) => t.http.post(`/api/v1/public/tools/${id}/reports`).send(body);
  const stored = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM public_reports'))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_REPORT_RATE_LIMIT: '14' });
    const agencyId = await t.createAgency('Ministerio de Justicia', 'ES', 'ministry');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    oversight = await t.token(['oversight'], { sub: 'oversight' });
    otherEditor = await t.token(['agency_editor'], { agencyId: await t.createAgency('Ministério da Justiça', 'PT', 'ministry'), sub: 'other' });
    toolId = await publishedTool();
  });
  afterAll(() => t.close());

  it('takes a report without an account, logs a digest of it (never the contact), and the public sees only the count', async () => {
    const res = await report(toolId, { text: CANARY_TEXT, contact: CANARY_CONTACT }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'received', receivedAt: expect.any(String) });
    const [queued] = await t.sql<{ entry: Buffer; public: boolean }>('SELECT entry, public FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
    const entry = JSON.parse(queued.entry.toString());
    expect(entry).toMatchObject({ action: 'report.receive', actor: { id: 'public', roles: [] }, subject: { type: 'report', id: res.body.id } });
    expect(entry.contentHash).toBe(contentHash({ toolId, text: CANARY_TEXT, status: 'received', reply: null }));
    expect(queued.public).toBe(false);
    expect(queued.entry.toString()).not.toContain('canary');
    expect((await t.http.get(`/api/v1/public/tools/${toolId}`).expect(200)).body.reports).toEqual({ received: 1, answered: 0, dismissed: 0 });
  });

  it('shows reports to the agency (without the contact) and the oversight body (with it); they answer or dismiss, once', async () => {
    const agencyView = (await t.http.get('/api/v1/reports').query({ toolId }).set(as(editor)).expect(200)).body.items;
    expect(agencyView).toEqual([expect.objectContaining({ text: CANARY_TEXT, status: 'received', toolId })]);
    expect(agencyView[0].contact).toBeUndefined();
    const oversightView = (await t.http.get('/api/v1/reports').set(as(oversight)).expect(200)).body.items;
    expect(oversightView[0].contact).toBe(CANARY_CONTACT);
    expect((await t.http.get('/api/v1/reports').set(as(otherEditor)).expect(200)).body.items).toEqual([]);
    const id = agencyView[0].id as string;
    await t.http.post(`/api/v1/reports/${id}/answer`).set(as(otherEditor)).send({ reply: 'x' }).expect(404);
    await t.http.post(`/api/v1/reports/${id}/answer`).set(as(approver)).send({ reply: '' }).expect(400);
    const answered = await t.http.post(`/api/v1/reports/${id}/answer`).set(as(approver)).send({ reply: 'The retention period is corrected in revision 2.' }).expect(200);
    expect(answered.body).toMatchObject({ status: 'answered', repliedBy: 'approver' });
    expect(answered.headers['x-log-entry']).toBeDefined();
    await t.http.post(`/api/v1/reports/${id}/dismiss`).set(as(oversight)).send({ reply: 'x' }).expect(409);

    const second = (await report(toolId, { text: 'I think this tool is used in my city too.' }).expect(201)).body.id;
    await t.http.post(`/api/v1/reports/${second}/dismiss`).set(as(oversight)).send({ reply: 'Regions of use are listed; no city is missing.' }).expect(200);
    expect((await t.http.get(`/api/v1/public/tools/${toolId}`).expect(200)).body.reports).toEqual({ received: 2, answered: 1, dismissed: 1 });
  });

  it('refuses bad reports clearly and keeps nothing; a bot that fills the hidden field is told it was received', async () => {
    const before = await stored();
    const short = await report(toolId, { text: 'bad' }).expect(400);
    expect(short.body.errors).toEqual([{ field: 'text', message: 'text must say in at least 10 characters what seems wrong or missing' }]);
    expect((await report(toolId, { text: 'A valid complaint text.', contact: 'not an address' }).expect(400)).body.errors[0].field).toBe('contact');
    expect((await report(toolId, { text: 'A valid complaint text.', name: 'Ana' }).expect(400)).body.errors[0].field).toBe('name');
    await report('00000000-0000-0000-0000-000000000000', { text: 'A valid complaint text.' }).expect(404);
    await report(await publishedTool(true), { text: 'A valid complaint text.' }).expect(404);
    expect((await report(toolId, { text: 'Buy cheap watches at our shop.', website: 'http://spam.example' }).expect(202)).body).toEqual({ status: 'received' });
    expect(await stored()).toBe(before);
  });

  it('takes the report from the portal form without JavaScript, in the reader language, keeping what was typed on an error', async () => {
    const form = await t.http.get(`/es/tools/${toolId}/report`).expect(200);
    expect(form.text).toContain('<form class="report" method="post"');
    expect(form.text).toContain('Avisar de un error en una declaración');
    const refused = await t.http.post(`/es/tools/${toolId}/report`).type('form').send({ text: 'corto', contact: '' }).expect(400);
    expect(refused.text).toContain('Diga en 10 a 4000 caracteres qué parece erróneo o falta.');
    expect(refused.text).toMatch(/<textarea id="text"[^>]*aria-invalid="true">corto<\/textarea>/);
    const before = await stored();
    const sent = await t.http.post(`/es/tools/${toolId}/report`).type('form').send({ text: 'El enlace a la ley está roto.', contact: '', website: '' }).expect(201);
    expect(sent.text).toContain('Gracias: hemos recibido su aviso');
    expect(await stored()).toBe(before + 1);
    const page = (await t.http.get(`/en/tools/${toolId}`).expect(200)).text;
    expect(page).toContain('3 reports said this declaration seemed wrong or incomplete.');
    expect(page).toContain(`href="/en/tools/${toolId}/report"`);
    // A form post to any other address is still refused: the API takes JSON only.
    await t.http.post('/api/v1/agencies').set(as(oversight)).type('form').send({ name: 'x' }).expect(415);
  });

  it('never shows a report or its contact on any public surface', async () => {
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const surfaces = [
      `/api/v1/public/tools/${toolId}`, `/api/v1/public/tools/${toolId}/revisions`, '/api/v1/public/tools', '/api/v1/public/export.json',
      '/api/v1/public/export.csv', '/api/v1/public/stats', `/en/tools/${toolId}`, `/en/tools/${toolId}/history`, '/en/statistics',
      '/log/checkpoint', '/api/v1/log/entries?limit=100',
    ];
    for (const path of surfaces) {
      const res = await t.http.get(path);
      expect([path, res.text.includes('CANARY-REPORT'), res.text.includes('canary-7f3a')]).toEqual([path, false, false]);
    }
    for (let index = 0; index < Number(n); index++) {
      const res = await t.http.get(`/api/v1/log/entries/${index}`);
      if (res.status === 200) expect(Buffer.from(res.body.entry, 'base64').toString()).not.toMatch(/report\.|canary/i);
    }
  });

  it('limits how many reports one address may send an hour', async () => {
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) status = (await report(toolId, { text: `Report number ${i} about the tool.` })).status;
    expect(status).toBe(429);
    const limited = await report(toolId, { text: 'One report too many.' }).expect(429);
    expect(limited.body.detail).toMatch(/at most 14 an hour/);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
