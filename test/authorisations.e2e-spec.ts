import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { AuthorisationsService, todayUtc } from '../apps/registry/src/declarations/authorisations/authorisations.service.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

/** A 'real-time' remote biometric identification tool in use: the Art. 5(1)(h) exception. */
function biometricTool(): Record<string, unknown> {
  const content = exampleDeclaration();
  const classification = content.classification as { article5Screening: Record<string, { performs: boolean }> } & Record<string, unknown>;
  Object.assign(classification, { riskClass: 'prohibited_practice_exception', annexIIIPoint: '1(a)', rationale: 'Search for a missing child under Art. 5(1)(h)(i).' });
  classification.article5Screening.h = { performs: true, explanation: 'Targeted search for specific victims, Art. 5(1)(h)(i).' } as never;
  return content;
}

function granted(from: string, until: string): Record<string, unknown> {
  return {
    authorityType: 'judicial',
    authority: 'Juzgado de Garantía de Santiago',
    reference: 'RIT 1234-2026',
    requestedOn: from,
    decidedOn: from,
    outcome: 'granted',
    validFrom: from,
    validUntil: until,
    scope: { geographic: 'Estación Central', persons: 'One missing child' },
    decisionDocumentSha256: 'a'.repeat(64),
    urgency: { used: false },
  };
}

describe('authorisations', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  let otherEditor: string;
  const as = bearer;
  const today = todayUtc();
  const inAYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;

  beforeAll(async () => {
    t = await startTestApp();
    const agency = (name: string, country: string) => t.createAgency(name, country, 'police');
    const agencyId = await agency('Carabineros', 'CL');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor-1' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver-1' });
    oversight = await t.token(['oversight']);
    otherEditor = await t.token(['agency_editor'], { agencyId: await agency('Policía Nacional', 'PE'), sub: 'editor-pe' });
  });
  afterAll(() => t.close());

  async function submittedTool(content: Record<string, unknown>) {
    const created = await t.http.post('/api/v1/tools').set(as(editor)).send({ content }).expect(201);
    const res = await t.http.post(`/api/v1/tools/${created.body.id}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    return { id: created.body.id as string, etag: res.headers.etag as string };
  }

  it('publishes a prohibited-practice exception in use only under a valid granted authorisation, then alerts when it is revoked', async () => {
    const { id, etag } = await submittedTool(biometricTool());
    const noFria = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(422);
    expect(noFria.body.rule).toBe('fria-required'); // Art. 5(2) requires one for the exception too
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'fria', content: exampleAssessment('fria') }).expect(201);
    const refused = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(422);
    expect(refused.body.rule).toBe('authorisation-required');

    const created = await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: granted(today, inAYear) }).expect(201);
    expect(created.body).toMatchObject({ status: 'granted', valid: true });
    expect(created.headers['x-log-entry']).toBeDefined();
    await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(200);

    await t.http.post(`/api/v1/authorisations/${created.body.id}/revoke`).set(as(otherEditor)).send({ reason: 'x' }).expect(404);
    const revoked = await t.http.post(`/api/v1/authorisations/${created.body.id}/revoke`).set(as(approver)).send({ reason: 'Child found.' }).expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', valid: false, revocationReason: 'Child found.' });
    await t.http.post(`/api/v1/authorisations/${created.body.id}/revoke`).set(as(approver)).send({ reason: 'again' }).expect(409);

    const job = t.app.get(AuthorisationsService);
    expect(await job.expireAndAlert(today)).toEqual({ expired: 0, alerts: 1 });
    expect(await job.expireAndAlert(today)).toEqual({ expired: 0, alerts: 0 }); // raised once
    const [alert] = await t.sql<{ kind: string; tool_id: string }>('SELECT kind, tool_id FROM oversight_alerts');
    expect(alert).toEqual({ kind: 'unauthorised-use', tool_id: id });
    const actions = await t.sql<{ action: string }>(`SELECT convert_from(entry, 'UTF8')::jsonb ->> 'action' AS action FROM log_queue ORDER BY id DESC LIMIT 2`);
    expect(actions.map((a) => a.action)).toEqual(['alert.raise', 'authorisation.revoke']);
  });

  it('expires granted authorisations whose window has ended, logging each', async () => {
    const { id } = await submittedTool(exampleDeclaration());
    const old = await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: granted('2025-01-01', '2025-12-31') }).expect(201);
    expect(old.body.valid).toBe(false);
    const result = await t.app.get(AuthorisationsService).expireAndAlert('2026-01-01');
    expect(result.expired).toBe(1);
    const list = (await t.http.get(`/api/v1/tools/${id}/authorisations`).set(as(oversight)).expect(200)).body;
    expect(list.map((a: { status: string }) => a.status)).toEqual(['expired']);
    const [entry] = await t.sql<{ action: string }>(
      `SELECT convert_from(entry, 'UTF8')::jsonb ->> 'action' AS action FROM log_queue WHERE subject_id = $1 ORDER BY id DESC LIMIT 1`,
      [old.body.id],
    );
    expect(entry.action).toBe('authorisation.expire');
  });

  it('refuses incomplete or incoherent authorisations naming the field, and writes by others', async () => {
    const { id } = await submittedTool(exampleDeclaration());
    const incomplete = granted(today, inAYear);
    delete incomplete.validUntil;
    const res = await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: incomplete }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('content.validUntil');
    const backwards = await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: granted(inAYear, today) }).expect(400);
    expect(backwards.body.errors).toEqual([{ field: 'content.validUntil', message: 'content.validUntil must not be before validFrom' }]);
    await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(oversight)).send({ content: granted(today, inAYear) }).expect(403);
    await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(otherEditor)).send({ content: granted(today, inAYear) }).expect(404);
    await t.http.get(`/api/v1/tools/${id}/authorisations`).set(as(otherEditor)).expect(404);
    await t.http.post('/api/v1/authorisations/not-a-uuid/revoke').set(as(editor)).send({ reason: 'x' }).expect(400);
  });

  it('publishes the AI Act Art. 5(6) figures per country and year: requested, granted, refused, revoked', async () => {
    const agencyId = await t.createAgency('Policía Nacional', 'UY', 'police');
    const uyEditor = await t.token(['agency_editor'], { agencyId, sub: 'editor-uy' });
    const created = await t.http.post('/api/v1/tools').set(as(uyEditor)).send({ content: biometricTool() }).expect(201);
    const id = created.body.id as string;
    const grant = { ...granted('2025-12-30', '2026-01-30'), requestedOn: '2025-12-20', decidedOn: '2025-12-30' };
    const first = await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(uyEditor)).send({ content: grant }).expect(201);
    const refusal = { ...granted(today, today), outcome: 'refused' } as Record<string, unknown>;
    for (const field of ['validFrom', 'validUntil']) delete refusal[field];
    await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(uyEditor)).send({ content: refusal }).expect(201);
    await t.http.post(`/api/v1/authorisations/${first.body.id}/revoke`).set(as(uyEditor)).send({ reason: 'Scope exceeded.' }).expect(200);

    const year = Number(today.slice(0, 4));
    const figures = (await t.http.get('/api/v1/public/stats').expect(200)).body.authorisationsByCountryAndYear.filter((f: { country: string }) => f.country === 'UY');
    expect(figures).toEqual([
      { country: 'UY', year, requested: 1, granted: 0, refused: 1, revoked: 1 },
      { country: 'UY', year: 2025, requested: 1, granted: 1, refused: 0, revoked: 0 },
    ]);
    const csv = await t.http.get('/api/v1/public/export.authorisations.csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('year,country,requested,granted,refused,revoked');
    expect(csv.text.split('\n')).toEqual(expect.arrayContaining([`${year},UY,1,0,1,1`, '2025,UY,1,1,0,0']));
    const page = (await t.http.get('/en/statistics').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toContain(`${year} Uruguay 1 0 1 1`);
  });
});
