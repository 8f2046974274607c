import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { todayUtc } from '../apps/registry/src/declarations/authorisations/authorisations.service.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

const addDays = (day: string, days: number) => new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);

describe('oversight alerts', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  const as = bearer;
  const today = todayUtc();

  beforeAll(async () => {
    t = await startTestApp();
    const agencyId = await t.createAgency('Policía Nacional', 'CO', 'police');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor-co' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver-co' });
    oversight = await t.token(['oversight']);
  });
  afterAll(() => t.close());

  async function publishedTool(content: Record<string, unknown>, before?: (id: string) => Promise<void>) {
    const created = await t.http.post('/api/v1/tools').set(as(editor)).send({ content }).expect(201);
    const id = created.body.id as string;
    await before?.(id);
    const submitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', submitted.headers.etag).expect(200);
    return { id, reference: created.body.reference as string };
  }

  const authorisation = (from: string, until: string) => ({
    authorityType: 'judicial', authority: 'Juzgado 3 de Bogotá', requestedOn: from, decidedOn: from, outcome: 'granted', validFrom: from, validUntil: until,
  });

  it('lists what needs attention, each alert linking to its record', async () => {
    const expiring = await publishedTool(exampleDeclaration(), async (id) => {
      await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: authorisation(addDays(today, -10), addDays(today, 10)) }).expect(201);
      await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: authorisation(addDays(today, -60), addDays(today, -5)) }).expect(201);
    });
    const biased = await publishedTool(exampleDeclaration(), async (id) => {
      const bias = exampleAssessment('bias');
      (bias.disparities as Array<Record<string, unknown>>)[0].status = 'fail';
      await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: { ...bias, mitigations: ['Recalibrated.'] } }).expect(201);
    });
    const finding = await t.http.post(`/api/v1/tools/${biased.id}/findings`).set(as(oversight)).send({ severity: 'medium', title: 'Disparity', body: 'Explain.' }).expect(201);

    const res = await t.http.get('/api/v1/oversight/alerts').set(as(oversight)).expect(200);
    const seen = res.body.items.map((a: { kind: string; reference: string; link: string }) => [a.kind, a.reference, a.link]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['authorisation-expiring', expiring.reference, `/api/v1/tools/${expiring.id}/authorisations`],
        ['authorisation-expired', expiring.reference, `/api/v1/tools/${expiring.id}/authorisations`],
        ['failed-disparity', biased.reference, `/api/v1/tools/${biased.id}/assessments`],
        ['open-finding', biased.reference, `/api/v1/findings/${finding.body.id}`],
      ]),
    );
    expect(res.body.counts).toMatchObject({ 'authorisation-expiring': 1, 'authorisation-expired': 1, 'failed-disparity': 1, 'open-finding': 1, 'unauthorised-use': 0 });
    const disparity = res.body.items.find((a: { kind: string }) => a.kind === 'failed-disparity');
    expect(disparity.message).toContain('fpr for women');
  });

  it('flags a prohibited-practice tool in use whose authorisation was revoked', async () => {
    const content = exampleDeclaration();
    const classification = content.classification as { article5Screening: Record<string, unknown> } & Record<string, unknown>;
    Object.assign(classification, { riskClass: 'prohibited_practice_exception', annexIIIPoint: '1(a)' });
    classification.article5Screening.h = { performs: true, explanation: 'Art. 5(1)(h)(ii).' };
    let authorisationId = '';
    const tool = await publishedTool(content, async (id) => {
      await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'fria', content: exampleAssessment('fria') }).expect(201);
      authorisationId = (await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: authorisation(today, addDays(today, 90)) }).expect(201)).body.id;
    });
    const before = (await t.http.get('/api/v1/oversight/alerts').set(as(oversight)).expect(200)).body.counts['unauthorised-use'];
    await t.http.post(`/api/v1/authorisations/${authorisationId}/revoke`).set(as(approver)).send({ reason: 'Operation ended.' }).expect(200);
    const after = (await t.http.get('/api/v1/oversight/alerts').set(as(oversight)).expect(200)).body;
    expect(after.counts['unauthorised-use']).toBe(before + 1);
    expect(after.items.find((a: { kind: string; toolId: string }) => a.kind === 'unauthorised-use' && a.toolId === tool.id)).toBeDefined();
  });

  it('is for the oversight body only', async () => {
    await t.http.get('/api/v1/oversight/alerts').set(as(editor)).expect(403);
    await t.http.get('/api/v1/oversight/alerts').expect(401);
  });
});
