import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ASSESSMENT_KINDS } from '../apps/registry/src/declarations/assessments/assessment.schemas.js';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

describe('assessments of a tool', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  let otherEditor: string;
  const as = bearer;

  beforeAll(async () => {
    t = await startTestApp();
    const agency = (name: string, country: string) => t.createAgency(name, country, 'police');
    const agencyId = await agency('Policía de Investigaciones', 'CL');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor-1' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver-1' });
    oversight = await t.token(['oversight']);
    otherEditor = await t.token(['agency_editor'], { agencyId: await agency('Gendarmería', 'AR'), sub: 'editor-ar' });
  });
  afterAll(() => t.close());

  async function tool(content = exampleDeclaration()) {
    const res = await t.http.post('/api/v1/tools').set(as(editor)).send({ content }).expect(201);
    return { id: res.body.id as string, etag: res.headers.etag as string };
  }

  async function submitted(content: Record<string, unknown>) {
    const created = await tool(content);
    const res = await t.http.post(`/api/v1/tools/${created.id}/submit`).set(as(editor)).set('If-Match', created.etag).expect(200);
    return { id: created.id, etag: res.headers.etag as string };
  }

  it('records each kind, validated against its schema, and logs it', async () => {
    const { id } = await tool();
    for (const kind of ASSESSMENT_KINDS) {
      const res = await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind, content: exampleAssessment(kind) }).expect(201);
      expect(res.body).toMatchObject({ toolId: id, kind, current: true, supersedes: null, authorId: 'editor-1' });
      const [entry] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
      expect(JSON.parse(entry.entry.toString())).toMatchObject({ action: 'assessment.create', subject: { type: 'assessment', id: res.body.id } });
    }
    const schemas = (await t.http.get('/api/v1/schema/assessments').expect(200)).body;
    expect(Object.keys(schemas).sort()).toEqual([...ASSESSMENT_KINDS].sort());
  });

  it('supersedes the previous assessment of a kind, and never edits one', async () => {
    const { id } = await tool();
    const first = (await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'fria', content: exampleAssessment('fria') }).expect(201)).body;
    const second = (await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(approver)).send({ kind: 'fria', content: exampleAssessment('fria') }).expect(201)).body;
    expect(second.supersedes).toBe(first.id);
    const list = (await t.http.get(`/api/v1/tools/${id}/assessments`).set(as(oversight)).expect(200)).body;
    expect(list.map((a: { id: string; current: boolean }) => [a.id, a.current])).toEqual([[first.id, false], [second.id, true]]);
    await expect(t.sql(`UPDATE assessments SET content = '{}' WHERE id = $1`, [first.id])).rejects.toThrow(/never edited/);
    await expect(t.sql('DELETE FROM assessments WHERE id = $1', [first.id])).rejects.toThrow(/never edited/);
  });

  it('refuses invalid assessments naming the fields, and other agencies, oversight and the public', async () => {
    const { id } = await tool();
    const bias = exampleAssessment('bias');
    (bias.disparities as Array<Record<string, unknown>>)[0].status = 'ok';
    delete bias.groups;
    const res = await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: bias }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['content.disparities.0.status', 'content.groups']);
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'horoscope', content: {} }).expect(400);
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(otherEditor)).send({ kind: 'dpia', content: exampleAssessment('dpia') }).expect(404);
    await t.http.get(`/api/v1/tools/${id}/assessments`).set(as(otherEditor)).expect(404);
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(oversight)).send({ kind: 'dpia', content: exampleAssessment('dpia') }).expect(403);
    await t.http.get(`/api/v1/tools/${id}/assessments`).expect(401);
  });

  it('publishes a high-risk tool only with a fundamental rights impact assessment', async () => {
    const content = exampleDeclaration();
    Object.assign(content.classification as object, { riskClass: 'high_risk', annexIIIPoint: '6(d)' });
    const { id, etag } = await submitted(content);
    // The editor and the approver see it before anyone tries to publish, with the route that fixes it.
    const fix = `Record one: POST /api/v1/tools/${id}/assessments with {"kind": "fria", "content": {...}} (its fields: GET /api/v1/schema/assessments), then publish again.`;
    const before = await t.http.get(`/api/v1/tools/${id}`).set(as(approver)).expect(200);
    expect(before.body.revision.blockers).toEqual([{ rule: 'fria-required', message: expect.stringContaining('fundamental rights impact assessment'), fix }]);
    const refused = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(422);
    expect(refused.body.rule).toBe('fria-required');
    expect(refused.body.violations[0].fix).toBe(fix);
    expect(refused.body.detail).toContain(fix);
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'fria', content: exampleAssessment('fria') }).expect(201);
    expect((await t.http.get(`/api/v1/tools/${id}`).set(as(editor)).expect(200)).body.revision.blockers).toEqual([]);
    const published = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(200);
    expect(published.body.revision.blockers).toBeUndefined();
  });

  it('publishes a tool whose bias evaluation failed a disparity only once mitigations are recorded', async () => {
    const { id, etag } = await submitted(exampleDeclaration());
    const failing = exampleAssessment('bias');
    (failing.disparities as Array<Record<string, unknown>>)[0].status = 'fail';
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: failing }).expect(201);
    const refused = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(422);
    expect(refused.body).toMatchObject({ rule: 'bias-mitigation' });
    expect(refused.body.detail).toContain('fpr for women');
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: { ...failing, mitigations: ['Threshold recalibrated per group.'] } }).expect(201);
    await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(200);
  });
});
