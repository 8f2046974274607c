import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

describe('oversight findings', () => {
  let t: TestApp;
  let editor: string;
  let oversight: string;
  let otherEditor: string;
  let agencyId: string;
  let otherAgencyId: string;
  let toolId: string;
  const as = bearer;

  beforeAll(async () => {
    t = await startTestApp();
    const agency = (name: string, country: string) => t.createAgency(name, country, 'prosecution');
    agencyId = await agency('Ministère public', 'FR');
    otherAgencyId = await agency('Ministério Público', 'PT');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor-fr' });
    otherEditor = await t.token(['agency_editor'], { agencyId: otherAgencyId, sub: 'editor-pt' });
    oversight = await t.token(['oversight'], { sub: 'cnil-1' });
    toolId = (await t.http.post('/api/v1/tools').set(as(editor)).send({ content: exampleDeclaration() }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('is opened by oversight, answered by the agency, closed by oversight, each step logged', async () => {
    const opened = await t.http.post(`/api/v1/tools/${toolId}/findings`).set(as(oversight))
      .send({ severity: 'high', title: 'No human review', body: 'Outputs reach case files unreviewed.' }).expect(201);
    expect(opened.body).toMatchObject({ toolId, agencyId, status: 'open', openedBy: 'cnil-1', responses: [] });
    const id = opened.body.id;

    await t.http.post(`/api/v1/findings/${id}/responses`).set(as(otherEditor)).send({ body: 'x' }).expect(404);
    const answered = await t.http.post(`/api/v1/findings/${id}/responses`).set(as(editor)).send({ body: 'Review added on 1 December.' }).expect(201);
    expect(answered.body).toMatchObject({ status: 'answered', responses: [{ authorId: 'editor-fr', body: 'Review added on 1 December.' }] });

    await t.http.post(`/api/v1/findings/${id}/close`).set(as(editor)).send({}).expect(403);
    const closed = await t.http.post(`/api/v1/findings/${id}/close`).set(as(oversight)).send({ note: 'Verified on site.' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'cnil-1', closingNote: 'Verified on site.' });
    await t.http.post(`/api/v1/findings/${id}/close`).set(as(oversight)).send({}).expect(409);
    await t.http.post(`/api/v1/findings/${id}/responses`).set(as(editor)).send({ body: 'late' }).expect(409);

    const actions = await t.sql<{ action: string }>(
      `SELECT convert_from(entry, 'UTF8')::jsonb ->> 'action' AS action FROM log_queue WHERE subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(actions.map((a) => a.action)).toEqual(['finding.open', 'finding.respond', 'finding.close']);
  });

  it('lists by status and agency: oversight sees all, an agency its own', async () => {
    await t.http.post(`/api/v1/tools/${toolId}/findings`).set(as(oversight)).send({ severity: 'low', title: 'Typo', body: 'In the purpose.' }).expect(201);
    const open = (await t.http.get('/api/v1/findings').query({ status: 'open' }).set(as(oversight)).expect(200)).body.items;
    expect(open.map((f: { title: string }) => f.title)).toEqual(['Typo']);
    const mine = (await t.http.get('/api/v1/findings').set(as(editor)).expect(200)).body.items;
    expect(mine).toHaveLength(2);
    expect((await t.http.get('/api/v1/findings').set(as(otherEditor)).expect(200)).body.items).toEqual([]);
    expect((await t.http.get('/api/v1/findings').query({ agencyId: otherAgencyId }).set(as(oversight)).expect(200)).body.items).toEqual([]);
    const page = await t.http.get('/api/v1/findings').query({ limit: 1 }).set(as(oversight)).expect(200);
    const next = await t.http.get('/api/v1/findings').query({ limit: 1, cursor: page.body.nextCursor }).set(as(oversight)).expect(200);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    await t.http.get(`/api/v1/findings/${mine[0].id}`).set(as(otherEditor)).expect(404);
    await t.http.get('/api/v1/findings').query({ status: 'pending' }).set(as(oversight)).expect(400);
    await t.http.post(`/api/v1/tools/${toolId}/findings`).set(as(oversight)).send({ severity: 'urgent', title: '', body: 'x' }).expect(400);
    await t.http.get('/api/v1/findings').expect(401);
  });
});
