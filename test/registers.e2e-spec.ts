import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DemoSeeder } from '../apps/registry/src/seed/demo-seeder.js';
import { DEMO_AGENCIES, DEMO_TOOLS } from '../apps/registry/src/seed/demo-data.js';
import { exampleNlRecord } from '../apps/registry/src/public/example-nl-record.js';
import { fromNlRecord, NL_SCHEMA, nlErrors } from '../apps/registry/src/public/nl-register.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// The Dutch Algoritmeregister's format (Publicatiestandaard v1.0.0, its schema as MinBZK
// publishes it): the public declarations exported in it, and one of its records imported.
describe("the Dutch register's format", () => {
  let t: TestApp;
  let editor: string;
  let agencyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seed();
    agencyId = (await t.http.get('/api/v1/agencies?limit=100').expect(200)).body.items[0].id;
    editor = await t.token(['agency_editor'], { agencyId, sub: 'importer' });
  });
  afterAll(() => t?.close());

  it('exports every public declaration written in Dutch as a valid v1.0.0 record, and lists the others with why not', async () => {
    const res = await t.http.get('/api/v1/public/export.nl.json').expect(200);
    const dutch = DEMO_TOOLS.filter((tool) => tool.outcome === 'published' && !tool.nonPublic && (tool.language ?? DEMO_AGENCIES.find((a) => a.key === tool.agency)!.language) === 'nl');
    expect(dutch.length).toBeGreaterThan(0);
    expect(res.body.records.map((r: { name: string }) => r.name).sort()).toEqual(dutch.map((tool) => tool.name).sort());
    for (const record of res.body.records) {
      // The standard's own schema: required fields, types, enums, lengths, formats.
      expect([record.name, nlErrors(record)]).toEqual([record.name, []]);
      expect(Object.keys(record).filter((field) => !(field in NL_SCHEMA.properties))).toEqual([]);
      expect(record.source_link).toMatch(/\/api\/v1\/public\/tools\/[0-9a-f-]{36}$/);
    }
    const stats = (await t.http.get('/api/v1/public/stats').expect(200)).body;
    expect(res.body.records.length + res.body.notExported.length).toBe(stats.tools.public);
    expect(res.body.notExported[0]).toMatchObject({ reason: expect.stringContaining('Dutch only') });
  });

  it('imports one v1.0.0 record as a new draft of the caller\'s agency, listing back every field it could not place', async () => {
    const res = await t.http.post('/api/v1/tools/import/nl').set(bearer(editor)).send(exampleNlRecord()).expect(201);
    expect(res.headers.location).toBe(`/api/v1/tools/${res.body.id}`);
    expect(res.body).toMatchObject({ agencyId, revision: { number: 1, status: 'draft' } });
    expect(res.body.revision.content).toMatchObject({
      language: 'nl',
      identity: {
        name: 'Prioritering van meldingen van woninginbraak',
        procurementRoute: 'in_house',
        lifecycle: { status: 'in_use', inUseSince: '2024-03-01' },
      },
      transparency: { modelType: expect.stringContaining('logistisch regressiemodel') },
      legalBasis: [{ jurisdiction: 'NL', instrument: 'Politiewet 2012', url: 'https://wetten.overheid.nl/BWBR0031788' }],
    });
    const unmapped = Object.fromEntries(res.body.unmapped.map((u: { field: string; value: unknown }) => [u.field, u.value]));
    expect(Object.keys(unmapped).sort()).toEqual(['considerations', 'contact', 'impact_assessments', 'link', 'organization', 'publication_category', 'risk_management', 'search_terms', 'source_id', 'theme'].sort());
    expect(unmapped.contact).toBe('algoritmes@voorbeeld.example');
    // Nothing of the record is lost: each field either mapped or listed back.
    const mapped = Object.keys(exampleNlRecord()).filter((field) => !(field in unmapped));
    expect(mapped.sort()).toEqual(['data', 'description_short', 'human_intervention', 'language', 'legal_basis', 'legal_basis_link', 'legal_basis_title', 'name', 'purpose_and_impact', 'schema', 'start_date', 'status', 'supplier', 'technical_operation'].sort());
    // And the draft is a draft like any other, logged.
    const [row] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
    expect(JSON.parse(row.entry.toString('utf8')).action).toBe('tool.create');
  });

  it('round-trips: an exported record imported again gives back the declaration\'s mapped fields', async () => {
    const [record] = (await t.http.get('/api/v1/public/export.nl.json').expect(200)).body.records;
    const original = (await t.http.get(record.source_link.replace(/^https?:\/\/[^/]+/, '')).expect(200)).body;
    const imported = (await t.http.post('/api/v1/tools/import/nl').set(bearer(editor)).send(record).expect(201)).body;
    const { identity } = imported.revision.content;
    expect(identity.name).toBe(original.content.identity.name);
    expect(identity.shortDescription).toBe(original.content.identity.shortDescription);
    expect(identity.intendedPurpose.split('\n')[0]).toBe(original.content.identity.intendedPurpose);
    // The standard's three statuses: planned and pilot are both "In ontwikkeling", suspended and retired "Buiten gebruik".
    const back: Record<string, string> = { planned: 'planned', pilot: 'planned', in_use: 'in_use', suspended: 'retired', retired: 'retired' };
    expect(identity.lifecycle.status).toBe(back[original.content.identity.lifecycle.status]);
    expect(imported.revision.content.legalBasis[0].url).toBe(original.content.legalBasis[0].url);
    expect(fromNlRecord(record).content).toEqual(imported.revision.content);
  });

  it('refuses a record that is not v1.0.0, naming each field, and creates nothing', async () => {
    const [{ n: before }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM tools');
    const { name: _name, ...noName } = exampleNlRecord();
    const bad = await t.http.post('/api/v1/tools/import/nl').set(bearer(editor)).send({ ...noName, status: 'Actief', start_date: '2024-03-01', schema: '0.4.0' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'schema', 'start_date', 'status']);
    await t.http.post('/api/v1/tools/import/nl').set(bearer(editor)).send([exampleNlRecord()]).expect(400);
    await t.http.post('/api/v1/tools/import/nl').set(bearer(await t.token(['oversight']))).send(exampleNlRecord()).expect(403);
    const [{ n: after }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM tools');
    expect(after).toBe(before);
  });
});
