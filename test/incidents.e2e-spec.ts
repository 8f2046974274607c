import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { todayUtc } from '../apps/registry/src/declarations/authorisations/authorisations.service.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { contentHash } from '../apps/registry/src/log/log-entry.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

// Serious incidents (AI Act Art. 26(5), Art. 73) as an agency records them and the public and the oversight body see them.
describe('serious incidents', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  let otherEditor: string;
  let toolId: string;
  const as = bearer;
  const incident = (overrides: Record<string, unknown> = {}) => ({
    kind: 'fundamental_rights',
    foundOn: daysAgo(20),
    summary: 'The tool flagged a person for a follow-up visit on a wrong match of names.',
    harm: 'CANARY-INCIDENT-HARM a visit at the workplace of the person',
    personsAffected: 1,
    measures: ['Name matching suspended', 'Apology and erasure of the record'],
    status: 'investigating',
    internalReference: 'CANARY-INCIDENT-REF 2026/118',
    operationalDetails: 'CANARY-INCIDENT-OPS unit 3 night shift',
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    const agencyId = await t.createAgency('Policía de Investigaciones', 'CL', 'police');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    oversight = await t.token(['oversight']);
    otherEditor = await t.token(['agency_editor'], { agencyId: await t.createAgency('Policía Federal', 'AR', 'police'), sub: 'other' });
    const created = await t.http.post('/api/v1/tools').set(as(editor)).send({ content: exampleDeclaration() }).expect(201);
    toolId = created.body.id;
    const submitted = await t.http.post(`/api/v1/tools/${toolId}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${toolId}/publish`).set(as(approver)).set('If-Match', submitted.headers.etag).expect(200);
  });
  afterAll(() => t.close());

  it('records an incident with its notification deadline, logs it, and refuses bad content naming the field', async () => {
    const res = await t.http.post(`/api/v1/tools/${toolId}/incidents`).set(as(editor)).send({ content: incident() }).expect(201);
    expect(res.body).toMatchObject({ toolId, version: 1, deadline: { days: 15, dueOn: daysAgo(5), late: false, overdue: true } });
    const [queued] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
    expect(JSON.parse(queued.entry.toString())).toMatchObject({ action: 'incident.report', subject: { type: 'incident', id: res.body.id, revision: 1 } });
    expect(JSON.parse(queued.entry.toString()).contentHash).toBe(contentHash({ toolId, version: 1, content: incident() }));

    const bad = await t.http.post(`/api/v1/tools/${toolId}/incidents`).set(as(editor)).send({ content: { ...incident(), kind: 'mishap', foundOn: 'yesterday' } }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['content.foundOn', 'content.kind']);
    await t.http.post(`/api/v1/tools/${toolId}/incidents`).set(as(otherEditor)).send({ content: incident() }).expect(404);
    await t.http.post(`/api/v1/tools/${toolId}/incidents`).set(as(oversight)).send({ content: incident() }).expect(403);
    expect(Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM incidents'))[0].n)).toBe(1);
  });

  it('lists an overdue notification in the oversight alerts; a late notification is accepted and flagged, and versions are kept', async () => {
    const [{ id }] = (await t.http.get(`/api/v1/tools/${toolId}/incidents`).set(as(oversight)).expect(200)).body;
    const alerts = (await t.http.get('/api/v1/oversight/alerts').set(as(oversight)).expect(200)).body;
    expect(alerts.counts['incident-notification-overdue']).toBe(1);
    expect(alerts.items.find((a: { kind: string }) => a.kind === 'incident-notification-overdue')).toMatchObject({
      toolId, link: `/api/v1/incidents/${id}`, message: `A serious incident found on ${daysAgo(20)} was due to be notified by ${daysAgo(5)} (15 days, AI Act Art. 73) and has not been.`,
    });

    const notified = await t.http.post(`/api/v1/incidents/${id}/versions`).set(as(approver))
      .send({ content: incident({ authorityNotified: 'Unidad de supervisión del mercado', notifiedOn: todayUtc() }) }).expect(201);
    expect(notified.body).toMatchObject({ version: 2, deadline: { late: true, overdue: false } });
    expect(notified.body.versions.map((v: { version: number; content: { notifiedOn?: string } }) => [v.version, v.content.notifiedOn ?? null])).toEqual([[1, null], [2, todayUtc()]]);
    expect((await t.http.get('/api/v1/oversight/alerts').set(as(oversight)).expect(200)).body.counts['incident-notification-overdue']).toBe(0);
    await t.http.post(`/api/v1/incidents/${id}/versions`).set(as(otherEditor)).send({ content: incident() }).expect(404);
    await t.http.get(`/api/v1/incidents/${id}`).set(as(otherEditor)).expect(404);
    // Versions are never changed.
    await expect(t.sql("UPDATE incident_versions SET content = '{}'")).rejects.toThrow(/append-only/);
  });

  it('shows the public the count and the public fields of each incident, never the others', async () => {
    const tool = (await t.http.get(`/api/v1/public/tools/${toolId}`).expect(200)).body;
    expect(tool.incidents).toHaveLength(1);
    expect(tool.incidents[0]).toMatchObject({ version: 2, notifiedLate: true, dueOn: daysAgo(5), content: { kind: 'fundamental_rights', status: 'investigating', personsAffected: 1 } });
    const page = (await t.http.get(`/en/tools/${toolId}`).expect(200)).text;
    expect(page).toContain('The agency recorded 1 serious incident (AI Act Art. 73).');
    expect(page).toContain('Infringement of fundamental rights');
    expect(page).toContain('Notified late');
    for (const path of [`/api/v1/public/tools/${toolId}`, '/api/v1/public/export.json', '/api/v1/public/export.csv', `/en/tools/${toolId}`, `/fr/tools/${toolId}`]) {
      const text = (await t.http.get(path).expect(200)).text;
      expect([path, /CANARY-INCIDENT/.test(text)]).toEqual([path, false]);
    }
  });
});
