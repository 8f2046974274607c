import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DEMO_TOOLS } from '../apps/registry/src/seed/demo-data.js';
import { DemoSeeder } from '../apps/registry/src/seed/demo-seeder.js';
import { canonicalJson } from '../apps/registry/src/log/log-entry.js';
import { asText, startTestApp, type TestApp } from './support/app.js';
import { leafHash, waitForTreeSize } from './support/log.js';

interface Summary {
  id: string;
  reference: string;
  name: string;
  agency: { country: string; kind: string };
  riskClass: string;
  annexIIIPoint: string | null;
  lifecycle: string;
  crimeAreas: string[];
}

const published = DEMO_TOOLS.filter((tool) => tool.outcome === 'published');
const publicTools = published.filter((tool) => !tool.nonPublic);

describe('the public API', () => {
  let t: TestApp;
  let all: Summary[];

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seed();
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    all = (await t.http.get('/api/v1/public/tools?limit=100').expect(200)).body.items;
  });
  afterAll(() => t.close());

  const byName = (name: string) => all.find((tool) => tool.name === name)!;

  it('lists every published public tool, and nothing else, in reference order', async () => {
    expect(all.map((tool) => tool.name).sort()).toEqual(publicTools.map((tool) => tool.name).sort());
    expect(all.map((tool) => tool.reference)).toEqual([...all.map((tool) => tool.reference)].sort());
    for (const hidden of DEMO_TOOLS.filter((tool) => tool.outcome !== 'published' || tool.nonPublic)) {
      expect(all.map((tool) => tool.name)).not.toContain(hidden.name);
    }
  });

  it('pages with a cursor and reports the total', async () => {
    const first = (await t.http.get('/api/v1/public/tools?limit=10').expect(200)).body;
    expect(first.total).toBe(publicTools.length);
    expect(first.items).toHaveLength(10);
    const second = (await t.http.get(`/api/v1/public/tools?limit=10&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items[0].reference > first.items[9].reference).toBe(true);
    const problem = await t.http.get('/api/v1/public/tools?cursor=forged').expect(400);
    expect(problem.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['country=CR', (s: Summary) => s.agency.country === 'CR'],
    ['agencyKind=prosecution', (s: Summary) => s.agency.kind === 'prosecution'],
    ['riskClass=high_risk', (s: Summary) => s.riskClass === 'high_risk'],
    ['annexIII=8(a)', (s: Summary) => s.annexIIIPoint === '8(a)'],
    ['lifecycle=pilot', (s: Summary) => s.lifecycle === 'pilot'],
    ['crimeArea=drug_trafficking', (s: Summary) => s.crimeAreas.includes('drug_trafficking')],
    ['riskClass=high_risk&country=BR', (s: Summary) => s.riskClass === 'high_risk' && s.agency.country === 'BR'],
  ])('filters by %s', async (filter, keep) => {
    const res = await t.http.get(`/api/v1/public/tools?limit=100&${filter.replace('(', '%28').replace(')', '%29')}`).expect(200);
    const expected = all.filter(keep).map((s) => s.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(res.body.items.map((s: Summary) => s.id).sort()).toEqual(expected);
  });

  it('searches words in names, descriptions and agencies, ignoring case', async () => {
    // A cut-short word matches no whole word: the tool is found by its other word (match: any).
    const res = await t.http.get('/api/v1/public/tools').query({ q: 'TRANSCRI audiencias' }).expect(200);
    expect([res.body.match, res.body.items.map((s: Summary) => s.name)]).toEqual(['any', ['Transcrição de audiências']]);
    const one = await t.http.get('/api/v1/public/tools').query({ q: 'transcreve audiências' }).expect(200);
    expect([one.body.match, one.body.items.map((s: Summary) => s.name)]).toEqual(['all', ['Transcrição de audiências']]);
    const agency = await t.http.get('/api/v1/public/tools').query({ q: 'Hautrive' }).expect(200);
    expect(agency.body.items.length).toBe(publicTools.filter((tool) => tool.agency === 'be-prosecution').length);
    // Punctuation alone is no word: nothing to find, and no error.
    expect((await t.http.get('/api/v1/public/tools').query({ q: '%' }).expect(200)).body.items).toEqual([]);
  });

  it("shows each tool's own declaration: transparency, legal basis of its agency's country, assessments", async () => {
    const tools = (await t.http.get('/api/v1/public/export.json').expect(200)).body.tools as Array<{
      agency: { country: string };
      content: { identity: { name: string }; transparency: Record<string, unknown>; legalBasis: Array<{ jurisdiction: string }> };
      assessments: Array<{ kind: string; content: Record<string, unknown> }>;
    }>;
    for (const field of ['modelType', 'inputs', 'outputs', 'affectedPersons']) {
      expect([field, new Set(tools.map((tool) => JSON.stringify(tool.content.transparency[field]))).size]).toEqual([field, tools.length]);
    }
    for (const { agency, content } of tools) {
      const foreign = content.legalBasis.filter((basis) => ![agency.country, 'EU'].includes(basis.jurisdiction));
      expect([content.identity.name, foreign]).toEqual([content.identity.name, []]);
    }
    for (const kind of ['fria', 'bias', 'gender_impact', 'huderia']) {
      const texts = tools.flatMap((tool) => tool.assessments.filter((a) => a.kind === kind).map((a) => JSON.stringify(a.content)));
      expect([kind, texts.length > 1, new Set(texts).size]).toEqual([kind, true, texts.length]);
    }
  });

  it('refuses a bad filter with a problem naming it', async () => {
    const res = await t.http.get('/api/v1/public/tools?riskClass=dangerous&country=Spain').expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['country', 'riskClass']);
  });

  it('shows a tool as its public projection, with the log entry that published it', async () => {
    const { id } = byName('Transcriptor de entrevistas');
    const res = await t.http.get(`/api/v1/public/tools/${id}`).expect(200);
    const tool = res.body;
    expect(tool).toMatchObject({ id, language: 'es', revision: 1, publishedRevisions: 1, redactions: [] });
    expect(tool.content.identity.name).toBe('Transcriptor de entrevistas');
    expect(tool.content.identity.version).toBe('4.2'); // restricted, not redacted
    expect(tool.content.transparency.logging).toEqual({ retentionMonths: 12 }); // its description is oversight-only
    expect(tool.content.identity.operationalContact).toBeUndefined();
    expect(tool.publicContentHash).toBe(createHash('sha256').update(canonicalJson(tool.content)).digest('hex'));
    expect(tool.assessments.map((a: { kind: string }) => a.kind)).toEqual(['dpia']);
    expect(tool.assessments[0].content.reference).toBeUndefined(); // restricted in an assessment: not shown

    // Anyone can read the entry and check it against the projection.
    const entry = (await t.http.get(`/api/v1/log/entries/${tool.log.index}`).expect(200)).body;
    expect(entry.decoded).toMatchObject({ action: 'tool.publish', subject: { type: 'tool', id, revision: 1 }, publicContentHash: tool.publicContentHash });
    expect(leafHash(Buffer.from(entry.entry, 'base64')).toString('base64')).toBe(tool.log.leafHash);
  });

  it('replaces a redacted field with a notice, and keeps every published revision as history', async () => {
    const { id } = byName('Priorizador de denuncias de violencia doméstica');
    const tool = (await t.http.get(`/api/v1/public/tools/${id}`).expect(200)).body;
    expect(tool.revision).toBe(2);
    expect(tool.content.transparency.trainingData).toBeUndefined();
    expect(tool.redactions).toEqual([
      { field: 'transparency.trainingData', reasonCode: 'investigation_integrity', reason: expect.stringContaining('eludir') },
    ]);
    expect(tool.authorisations).toEqual([]);
    expect(tool.findings).toEqual([expect.objectContaining({ severity: 'high', status: 'answered' })]);
    expect(tool.findings[0].title).toBeUndefined();
    const bias = tool.assessments.find((a: { kind: string }) => a.kind === 'bias');
    expect(bias.content.disparities[0]).toMatchObject({ status: 'fail' });
    expect(bias.content.dataset).toBeUndefined();

    const history = (await t.http.get(`/api/v1/public/tools/${id}/revisions`).expect(200)).body.items;
    expect(history.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(history[0].content.identity.lifecycle.status).toBe('pilot');
    expect(history[1].content.identity.lifecycle.status).toBe('in_use');
    expect(history[0].redactions).toEqual([]);
    expect(history[0].log.index).toBeLessThan(history[1].log.index);
    for (const revision of history) {
      const entry = (await t.http.get(`/api/v1/log/entries/${revision.log.index}`).expect(200)).body;
      expect(entry.decoded.publicContentHash).toBe(revision.publicContentHash);
    }
  });

  it('answers 404 for drafts, rejected and non-public tools, and 400 for a bad id', async () => {
    for (const [name] of [['Triagem de denúncias anônimas'], ['Détection de fraudes aux prestations'], ['Analyse vidéo d\'enregistrements saisis']]) {
      const [{ id }] = await t.sql<{ id: string }>(`SELECT tool_id AS id FROM tool_revisions WHERE content #>> '{identity,name}' = $1 LIMIT 1`, [name]);
      await t.http.get(`/api/v1/public/tools/${id}`).expect(404);
      await t.http.get(`/api/v1/public/tools/${id}/revisions`).expect(404);
    }
    const bad = await t.http.get('/api/v1/public/tools/not-a-uuid').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
  });

  it('counts tools declared non-public in the statistics only', async () => {
    const stats = (await t.http.get('/api/v1/public/stats').expect(200)).body;
    expect(stats.tools).toEqual({ public: publicTools.length, nonPublic: published.length - publicTools.length });
    const france = stats.byCountry.find((c: { value: string }) => c.value === 'FR');
    expect(france).toEqual({ value: 'FR', public: 1, nonPublic: 1 });
    const sum = (key: string) => stats[key].reduce((n: number, c: { public: number; nonPublic: number }) => n + c.public + c.nonPublic, 0);
    for (const key of ['byCountry', 'byAgencyKind', 'byRiskClass', 'byLifecycle']) expect(sum(key)).toBe(published.length);
    expect(stats.authorisationsByYear.length).toBeGreaterThan(0);
  });

  it('exports every public tool with its history as JSON, and one row per tool as CSV', async () => {
    const json = await t.http.get('/api/v1/public/export.json').expect(200);
    expect(json.headers['content-disposition']).toContain('custodia-tools.json');
    expect(json.body.tools).toHaveLength(publicTools.length);
    const revised = json.body.tools.find((tool: { content: { identity: { name: string } } }) => tool.content.identity.name.startsWith('Priorizador'));
    expect(revised.revisions).toHaveLength(2);

    const csv = await t.http.get('/api/v1/public/export.csv').buffer(true).parse(asText).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = csv.body as string;
    expect(text.startsWith('\uFEFFid,reference,agency_id,agency_name,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(publicTools.length + 1);
    expect(text).toContain('Transcrição de audiências');
    expect(text).toContain('transparency.trainingData');
  });

  it('serves public answers with an ETag and Cache-Control, and 304 when unchanged', async () => {
    const first = await t.http.get('/api/v1/public/stats').expect(200);
    expect(first.headers['cache-control']).toContain('public');
    expect(first.headers.etag).toBeTruthy();
    await t.http.get('/api/v1/public/stats').set('If-None-Match', first.headers.etag).expect(304);
  });
});

describe('the public rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with when to come back once a client exceeds it; the log is counted apart, the health checks not at all', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/public/stats').expect(200);
    const res = await t.http.get('/api/v1/public/tools').expect(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.detail).toMatch(/try again in \d+ seconds/i);
    await t.http.get('/api/v1/schema').expect(429);
    await t.http.get('/log/checkpoint').expect(200);
    await t.http.get('/health/live').expect(200);
    // A reader of the portal gets a page in their language.
    const page = await t.http.get('/es/tools').expect(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toMatch(/Vuelva a intentarlo dentro de \d+ segundos/);
  });
});
