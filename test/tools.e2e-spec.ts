import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { contentHash } from '../apps/registry/src/log/log-entry.js';
import { publicContent } from '../apps/registry/src/declarations/schema/projection.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';

describe('tool declarations and their revisions', () => {
  let t: TestApp;
  let agencyId: string;
  let otherAgencyId: string;
  let editor: string;
  let secondEditor: string;
  let approver: string;
  let editorApprover: string;
  let oversight: string;
  let otherEditor: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['admin']);
    agencyId = await t.createAgency('Organismo de Investigación Judicial', 'CR', 'police');
    otherAgencyId = await t.createAgency('Policía Federal', 'BR', 'police');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor-1' });
    secondEditor = await t.token(['agency_editor'], { agencyId, sub: 'editor-2' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver-1' });
    editorApprover = await t.token(['agency_editor', 'agency_approver'], { agencyId, sub: 'editor-approver' });
    oversight = await t.token(['oversight'], { sub: 'oversight-1' });
    otherEditor = await t.token(['agency_editor'], { agencyId: otherAgencyId, sub: 'editor-br' });
  });
  afterAll(() => t.close());

  const as = bearer;
  const create = (token = editor, content: unknown = exampleDeclaration(), extra: object = {}) =>
    t.http.post('/api/v1/tools').set(as(token)).send({ content, ...extra });

  it('declares a tool as revision 1 in draft, with a reference, an ETag and a log entry', async () => {
    const res = await create().expect(201);
    expect(res.body).toMatchObject({
      agencyId,
      reference: 'CR-POL-0001',
      nonPublic: false,
      latestRevision: 1,
      publishedRevision: null,
      revision: { number: 1, status: 'draft', authorId: 'editor-1' },
    });
    expect(res.body.revision.content).toEqual(exampleDeclaration());
    expect(res.headers.etag).toMatch(/^".+"$/);
    expect(res.headers.location).toBe(`/api/v1/tools/${res.body.id}`);
    const [entry] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
    expect(JSON.parse(entry.entry.toString())).toMatchObject({
      action: 'tool.create',
      subject: { type: 'tool', id: res.body.id, revision: 1 },
      actor: { id: 'editor-1', agencyId },
      contentHash: contentHash(exampleDeclaration()),
    });
    expect((await create().expect(201)).body.reference).toBe('CR-POL-0002');
  });

  it('refuses invalid content naming each field under content, and changes nothing', async () => {
    const [{ n: before }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM tools');
    const content = exampleDeclaration();
    (content.identity as Record<string, unknown>).name = 'x'.repeat(201);
    (content.classification as Record<string, unknown>).riskClass = 'dangerous';
    (content.transparency as Record<string, unknown>).colour = 'blue';
    const res = await create(editor, content).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'content.classification.riskClass',
      'content.identity.name',
      'content.transparency.colour',
    ]);
    // Even a partial draft is checked field by field.
    await create(editor, { identity: { lifecycle: { status: 'operational' } } }).expect(400);
    await create(editor, 'text').expect(400);
    const [{ n: after }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM tools');
    expect(after).toBe(before);
  });

  it('saves a draft with any subset of valid fields, says what it lacks, and submits it only when complete', async () => {
    const started = await create(editor, {}).expect(201);
    const id = started.body.id as string;
    expect(started.body.revision.missing).toEqual(expect.arrayContaining([
      'identity.name', 'identity.lifecycle.status', 'identity.provider.name', 'classification.riskClass',
      'classification.article5Screening.h.performs', 'transparency.humanOversight', 'transparency.affectedPersons.howToContest', 'legalBasis',
    ]));

    // Days later the clerk has the identity section and a legal basis without its instrument.
    const full = exampleDeclaration();
    const partial = { identity: full.identity, legalBasis: [{ jurisdiction: 'CR' }] };
    const saved = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', started.headers.etag).send({ content: partial }).expect(200);
    expect(saved.body.revision.content).toEqual(partial);
    expect(saved.body.revision.missing).toContain('legalBasis.0.instrument');
    expect(saved.body.revision.missing).not.toContain('identity.name');

    const refused = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', saved.headers.etag).expect(422);
    expect(refused.body.type).toBe('urn:custodia:problem:incomplete');
    expect(refused.body.errors).toEqual(expect.arrayContaining([
      { field: 'content.legalBasis.0.instrument', message: 'content.legalBasis.0.instrument is required' },
      { field: 'content.classification.riskClass', message: 'content.classification.riskClass is required' },
    ]));
    expect(refused.body.errors.map((e: { field: string }) => e.field.slice('content.'.length))).toEqual(saved.body.revision.missing);
    expect(refused.body.detail).toContain(`PUT /api/v1/tools/${id}/draft`);
    // Nothing changed: still the same draft, same ETag.
    const still = await t.http.get(`/api/v1/tools/${id}`).set(as(editor)).expect(200);
    expect([still.body.revision.status, still.headers.etag]).toEqual(['draft', saved.headers.etag]);

    const completed = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', saved.headers.etag).send({ content: full }).expect(200);
    expect(completed.body.revision.missing).toEqual([]);
    const submitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', completed.headers.etag).expect(200);
    expect(submitted.body.revision).toMatchObject({ status: 'submitted', missing: [] });
  });

  it('walks draft → submitted → published with If-Match and four eyes, every step logged', async () => {
    const created = await create().expect(201);
    const id = created.body.id as string;
    let etag = created.headers.etag as string;

    const changed = exampleDeclaration();
    (changed.identity as Record<string, unknown>).shortDescription = 'Una descripción revisada.';
    await t.http.put(`/api/v1/tools/${id}/draft`).set(as(secondEditor)).send({ content: changed }).expect(428);
    await t.http.put(`/api/v1/tools/${id}/draft`).set(as(secondEditor)).set('If-Match', '"stale"').send({ content: changed }).expect(412);
    const drafted = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editorApprover)).set('If-Match', etag).send({ content: changed }).expect(200);
    expect(drafted.body.revision).toMatchObject({ number: 1, status: 'draft', authorId: 'editor-approver' });
    expect(drafted.headers.etag).not.toBe(etag);
    await t.http.put(`/api/v1/tools/${id}/draft`).set(as(secondEditor)).set('If-Match', etag).send({ content: changed }).expect(412);
    etag = drafted.headers.etag;

    const submitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', etag).expect(200);
    expect(submitted.body.revision.status).toBe('submitted');
    etag = submitted.headers.etag;
    await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', etag).send({ content: changed }).expect(409);

    // The approver who last changed the draft may not publish it.
    const own = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(editorApprover)).set('If-Match', etag).expect(403);
    expect(own.body.type).toBe('urn:custodia:problem:four-eyes');
    await t.http.post(`/api/v1/tools/${id}/publish`).set(as(editor)).set('If-Match', etag).expect(403);

    const published = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', etag).expect(200);
    expect(published.body).toMatchObject({ publishedRevision: 1, revision: { status: 'published', decidedBy: 'approver-1' } });
    const [entry] = await t.sql<{ entry: Buffer; public: boolean }>('SELECT entry, public FROM log_queue WHERE id = $1', [published.headers['x-log-entry']]);
    expect(entry.public).toBe(true);
    const logged = JSON.parse(entry.entry.toString());
    expect(logged).toMatchObject({ action: 'tool.publish', subject: { revision: 1 }, contentHash: contentHash(changed) });
    expect(logged.publicContentHash).toBe(contentHash(publicContent(changed)));

    // Editing a published tool opens revision 2; revision 1 stays as it was.
    const reopened = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', published.headers.etag).send({ content: exampleDeclaration() }).expect(200);
    expect(reopened.body).toMatchObject({ latestRevision: 2, publishedRevision: 1, revision: { number: 2, status: 'draft' } });
    const revisions = (await t.http.get(`/api/v1/tools/${id}/revisions`).set(as(oversight)).expect(200)).body;
    expect(revisions.map((r: { number: number; status: string }) => [r.number, r.status])).toEqual([[1, 'published'], [2, 'draft']]);
    expect(revisions[0].content).toEqual(changed);
    await expect(t.sql(`UPDATE tool_revisions SET content = '{}' WHERE tool_id = $1 AND number = 1`, [id])).rejects.toThrow(/cannot change/);

    const actions = await t.sql<{ action: string }>(
      `SELECT convert_from(entry, 'UTF8')::jsonb ->> 'action' AS action FROM log_queue WHERE subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(actions.map((a) => a.action)).toEqual(['tool.create', 'tool.draft.update', 'tool.submit', 'tool.publish', 'tool.draft.open']);
    await waitForTreeSize(t.http, 1);
  });

  it('rejects a submitted revision with a reason, and a non-public tool is published into a non-public entry', async () => {
    const created = await create(editor, exampleDeclaration(), { nonPublic: true }).expect(201);
    const id = created.body.id;
    const submitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${id}/reject`).set(as(approver)).set('If-Match', submitted.headers.etag).send({}).expect(400);
    const rejected = await t.http.post(`/api/v1/tools/${id}/reject`).set(as(approver)).set('If-Match', submitted.headers.etag).send({ reason: 'Legal basis missing.' }).expect(200);
    expect(rejected.body.revision).toMatchObject({ status: 'rejected', decisionReason: 'Legal basis missing.' });

    const redrafted = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', rejected.headers.etag).send({ content: exampleDeclaration() }).expect(200);
    const resubmitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', redrafted.headers.etag).expect(200);
    const published = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', resubmitted.headers.etag).expect(200);
    expect(published.body).toMatchObject({ nonPublic: true, publishedRevision: 2 });
    const [entry] = await t.sql<{ public: boolean }>('SELECT public FROM log_queue WHERE id = $1', [published.headers['x-log-entry']]);
    expect(entry.public).toBe(false);
  });

  it('refuses to publish a revision that breaks a rule, with 422 naming the rule, and changes nothing', async () => {
    const content = exampleDeclaration();
    (content.classification as Record<string, unknown>).riskClass = 'high_risk';
    const created = await create(editor, content).expect(201);
    const submitted = await t.http.post(`/api/v1/tools/${created.body.id}/submit`).set(as(editor)).set('If-Match', created.headers.etag).expect(200);
    const [{ n: before }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const refused = await t.http.post(`/api/v1/tools/${created.body.id}/publish`).set(as(approver)).set('If-Match', submitted.headers.etag).expect(422);
    expect(refused.body).toMatchObject({ type: 'urn:custodia:problem:rule-violated', rule: 'annex-iii-consistency' });
    expect(refused.body.detail).toContain('Annex III point');
    const [{ n: after }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    expect(after).toBe(before);
    const still = await t.http.get(`/api/v1/tools/${created.body.id}`).set(as(editor)).expect(200);
    expect(still.body.revision.status).toBe('submitted');
    expect(still.headers.etag).toBe(submitted.headers.etag);
  });

  it('redacts restricted fields with a reason from the next published revision on', async () => {
    const content = exampleDeclaration();
    (content.transparency as Record<string, unknown>).trainingData = { origin: 'Case files 2019–2023', size: '40,000 interviews' };
    const created = await create(editor, content).expect(201);
    const id = created.body.id;
    const redactions = [
      { field: 'transparency.trainingData', reasonCode: 'investigation_integrity', reason: 'Reveals which investigations used the tool.' },
      { field: 'identity.version', reasonCode: 'public_security', reason: 'Known vulnerabilities of older versions.' },
    ];
    await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).send({ redactions }).expect(428);
    const bad = await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).set('If-Match', created.headers.etag)
      .send({ redactions: [{ field: 'identity.name', reasonCode: 'public_security', reason: 'x' }, { field: 'identity.version', reasonCode: 'because', reason: 'x' }] }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['redactions.0.field', 'redactions.1.reasonCode']);
    // A list inside the list is no redaction (class-validator's nested check alone let it through).
    for (const nested of [[[]], [[redactions[0]]]]) {
      const res = await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).set('If-Match', created.headers.etag).send({ redactions: nested }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('redactions');
    }
    const set = await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).set('If-Match', created.headers.etag).send({ redactions }).expect(200);
    expect(set.body.redactions).toEqual(redactions);

    const submitted = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', set.headers.etag).expect(200);
    const published = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', submitted.headers.etag).expect(200);
    expect(published.body.revision.redactions).toEqual(redactions);
    const [entry] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [published.headers['x-log-entry']]);
    const { publicContentHash } = JSON.parse(entry.entry.toString());
    const expected = publicContent(content, redactions) as { transparency: Record<string, unknown>; identity: Record<string, unknown> };
    expect(expected.transparency.trainingData).toBeUndefined();
    expect(expected.identity.version).toBeUndefined();
    expect(expected.identity.name).toBe((content.identity as Record<string, unknown>).name);
    expect(publicContentHash).toBe(contentHash(expected));
  });

  it("keeps each agency's tools to itself and to oversight; admin and the public see none", async () => {
    const created = await create().expect(201);
    const id = created.body.id;
    await t.http.get(`/api/v1/tools/${id}`).set(as(editor)).expect(200);
    await t.http.get(`/api/v1/tools/${id}`).set(as(oversight)).expect(200);
    await t.http.get(`/api/v1/tools/${id}`).set(as(otherEditor)).expect(404);
    await t.http.get(`/api/v1/tools/${id}/revisions`).set(as(otherEditor)).expect(404);
    await t.http.get(`/api/v1/tools/${id}`).set(as(admin)).expect(403);
    await t.http.get(`/api/v1/tools/${id}`).expect(401);
    await t.http.put(`/api/v1/tools/${id}/draft`).set(as(otherEditor)).set('If-Match', created.headers.etag).send({ content: exampleDeclaration() }).expect(404);
    await t.http.post('/api/v1/tools').set(as(oversight)).send({ content: exampleDeclaration() }).expect(403);

    const own = (await t.http.get('/api/v1/tools').set(as(editor)).query({ limit: 100 }).expect(200)).body.items;
    expect(own.every((tool: { agencyId: string }) => tool.agencyId === agencyId)).toBe(true);
    expect((await t.http.get('/api/v1/tools').set(as(otherEditor)).expect(200)).body.items).toEqual([]);
    const all = (await t.http.get('/api/v1/tools').set(as(oversight)).query({ limit: 100 }).expect(200)).body.items;
    expect(all.length).toBe(own.length);
  });

  it('lists with filters and pages', async () => {
    const page = await t.http.get('/api/v1/tools').set(as(oversight)).query({ limit: 2 }).expect(200);
    expect(page.body.items).toHaveLength(2);
    const next = await t.http.get('/api/v1/tools').set(as(oversight)).query({ limit: 2, cursor: page.body.nextCursor }).expect(200);
    expect(next.body.items[0].reference > page.body.items[1].reference).toBe(true);
    const published = await t.http.get('/api/v1/tools').set(as(oversight)).query({ status: 'published' }).expect(200);
    expect(published.body.items.every((tool: { revision: { status: string } }) => tool.revision.status === 'published')).toBe(true);
    const found = await t.http.get('/api/v1/tools').set(as(oversight)).query({ q: 'CR-POL-0001' }).expect(200);
    expect(found.body.items.map((tool: { reference: string }) => tool.reference)).toEqual(['CR-POL-0001']);
    await t.http.get('/api/v1/tools').set(as(oversight)).query({ riskClass: 'scary' }).expect(400);
    await t.http.get('/api/v1/tools').set(as(oversight)).query({ cursor: 'garbage' }).expect(400);
  });
});
