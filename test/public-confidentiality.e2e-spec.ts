import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ASSESSMENT_KINDS, ASSESSMENT_SCHEMAS } from '../apps/registry/src/declarations/assessments/assessment.schemas.js';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { AUTHORISATION_SCHEMA } from '../apps/registry/src/declarations/authorisations/authorisation.schema.js';
import { DECLARATION_SCHEMA } from '../apps/registry/src/declarations/schema/declaration.schema.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { REDACTABLE_FIELDS } from '../apps/registry/src/declarations/tools/tool.dto.js';
import { asText, bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  'x-visibility'?: string;
}

const LANGUAGES = ['en', 'es', 'pt', 'fr'];
const markers: string[] = [];
const marker = () => {
  const value = `zqmark${String(markers.length).padStart(3, '0')}q`;
  markers.push(value);
  return value;
};
// A SHA-256 field takes only hex: a value that appears nowhere else.
const HEX_MARKER = 'c0ffee'.repeat(10) + 'c0de';

/**
 * Writes a unique marker into every text field the public must never see: everything that is
 * not `public` (and, with `all`, every text field at all, for records that are wholly secret).
 */
function mark(value: Record<string, unknown>, schema: SchemaNode, all = false): Record<string, unknown> {
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    const hidden = all || node['x-visibility'] !== 'public';
    const filled = fill(node, hidden, value[name]);
    if (filled !== undefined) value[name] = filled;
  }
  return value;
}

function fill(node: SchemaNode, hidden: boolean, current: unknown): unknown {
  const isText = node.type === 'string' && !node.enum && !node.format && !node.pattern;
  if (node.properties) return mark((current as Record<string, unknown>) ?? {}, node, hidden);
  if (node.type === 'array' && node.items?.properties) {
    const items = (current as Array<Record<string, unknown>> | undefined) ?? [];
    return (items.length ? items : [{}]).map((item) => mark({ ...item }, node.items!, hidden));
  }
  if (node.type === 'array' && hidden && node.items?.type === 'string' && !node.items.enum && !node.items.pattern) return [marker()];
  if (hidden && isText) return marker();
  if (hidden && node.pattern === '^[0-9a-f]{64}$') return HEX_MARKER;
  return current;
}

/** The example declaration with every optional object present, so that each can be marked. */
function declaration(): Record<string, unknown> {
  const content = exampleDeclaration() as Record<string, Record<string, unknown>>;
  content.transparency.sourceCode = { availability: 'available_to_oversight' };
  return content;
}

describe('nothing confidential reaches the public side', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let oversight: string;
  const secretToolIds: string[] = [];
  let publicToolId: string;
  let agencyId: string;
  let findingId: string;

  const as = bearer;
  async function declare(content: Record<string, unknown>, options: { nonPublic?: boolean; publish?: boolean; redactions?: object[] } = {}) {
    let res = await t.http.post('/api/v1/tools').set(as(editor)).send({ content, nonPublic: options.nonPublic });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const id = res.body.id as string;
    if (options.redactions) res = await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).set('If-Match', res.headers.etag).send({ redactions: options.redactions }).expect(200);
    if (options.publish === false) return { id, etag: res.headers.etag as string };
    res = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', res.headers.etag).expect(200);
    res = await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', res.headers.etag).expect(200);
    return { id, etag: res.headers.etag as string };
  }

  beforeAll(async () => {
    // It asks the public side far more than one reader's share of a minute (PUBLIC_RATE_LIMIT).
    t = await startTestApp({ PUBLIC_RATE_LIMIT: '0', PUBLIC_LOG_RATE_LIMIT: '0' });
    agencyId = await t.createAgency('Fiscalía de Prueba', 'CR', 'prosecution');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    oversight = await t.token(['oversight'], { sub: 'oversight' });

    // A published tool: every restricted field redacted, every oversight and operational field set.
    const content = mark(declaration(), DECLARATION_SCHEMA as unknown as SchemaNode);
    // Written in Dutch, so that the Dutch register's export carries it too.
    content.language = 'nl';
    const topmost = REDACTABLE_FIELDS.filter((field) => !REDACTABLE_FIELDS.some((other) => field.startsWith(`${other}.`)));
    const redactions = topmost.map((field) => ({ field, reasonCode: 'investigation_integrity', reason: 'Withheld for the test.' }));
    const published = await declare(content, { redactions });
    publicToolId = published.id;
    // Its records: assessments of every kind, an authorisation, a finding with an answer and a closing note.
    for (const kind of ASSESSMENT_KINDS) {
      const content = mark(exampleAssessment(kind), ASSESSMENT_SCHEMAS[kind] as unknown as SchemaNode);
      await t.http.post(`/api/v1/tools/${publicToolId}/assessments`).set(as(editor)).send({ kind, content }).expect(201);
    }
    const authorisation = mark(
      { authorityType: 'judicial', authority: 'Juzgado Penal', requestedOn: '2026-01-05', decidedOn: '2026-01-10', outcome: 'granted', validFrom: '2026-01-10', validUntil: '2027-01-10', urgency: { used: false } },
      AUTHORISATION_SCHEMA as unknown as SchemaNode,
    );
    await t.http.post(`/api/v1/tools/${publicToolId}/authorisations`).set(as(editor)).send({ content: authorisation }).expect(201);
    const finding = await t.http.post(`/api/v1/tools/${publicToolId}/findings`).set(as(oversight)).send({ severity: 'high', title: marker(), body: marker() }).expect(201);
    findingId = finding.body.id;
    await t.http.post(`/api/v1/findings/${finding.body.id}/responses`).set(as(editor)).send({ body: marker() }).expect(201);
    await t.http.post(`/api/v1/findings/${finding.body.id}/close`).set(as(oversight)).send({ note: marker() }).expect(200);
    // Then a draft of the next revision, never published: even its public fields stay unseen.
    const draft = declaration();
    mark(draft, DECLARATION_SCHEMA as unknown as SchemaNode, true);
    await t.http.put(`/api/v1/tools/${publicToolId}/draft`).set(as(editor)).set('If-Match', published.etag).send({ content: draft }).expect(200);

    // A tool declared non-public as a whole, with records; a tool only drafted; a rejected one.
    const secret = await declare(mark(declaration(), DECLARATION_SCHEMA as unknown as SchemaNode, true), { nonPublic: true });
    await t.http.post(`/api/v1/tools/${secret.id}/assessments`).set(as(editor)).send({ kind: 'bias', content: mark(exampleAssessment('bias'), ASSESSMENT_SCHEMAS.bias as unknown as SchemaNode, true) }).expect(201);
    const drafted = await declare(mark(declaration(), DECLARATION_SCHEMA as unknown as SchemaNode, true), { publish: false });
    let rejected = await t.http.post('/api/v1/tools').set(as(editor)).send({ content: mark(declaration(), DECLARATION_SCHEMA as unknown as SchemaNode, true) }).expect(201);
    rejected = await t.http.post(`/api/v1/tools/${rejected.body.id}/submit`).set(as(editor)).set('If-Match', rejected.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${rejected.body.id}/reject`).set(as(approver)).set('If-Match', rejected.headers.etag).send({ reason: marker() }).expect(200);
    secretToolIds.push(secret.id, drafted.id, rejected.body.id);

    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
  });
  afterAll(() => t.close());

  it('has the markers in the registry, where the oversight body reads them', async () => {
    expect(markers.length).toBeGreaterThan(60);
    const seen = JSON.stringify([
      (await t.http.get(`/api/v1/tools/${publicToolId}/revisions`).set(as(oversight)).expect(200)).body,
      (await t.http.get(`/api/v1/tools/${publicToolId}/assessments`).set(as(oversight)).expect(200)).body,
      (await t.http.get(`/api/v1/tools/${publicToolId}/authorisations`).set(as(oversight)).expect(200)).body,
      (await t.http.get(`/api/v1/findings/${findingId}`).set(as(oversight)).expect(200)).body,
      ...(await Promise.all(secretToolIds.map(async (id) => (await t.http.get(`/api/v1/tools/${id}/revisions`).set(as(oversight)).expect(200)).body))),
      ...(await Promise.all(secretToolIds.map(async (id) => (await t.http.get(`/api/v1/tools/${id}/assessments`).set(as(oversight)).expect(200)).body))),
    ]);
    const rejectionReason = markers[markers.length - 1];
    expect(markers.filter((m) => m !== rejectionReason && !seen.includes(m))).toEqual([]);
    expect(seen).toContain(HEX_MARKER);
  });

  it('serves no marker from any public endpoint, page, export or log entry', async () => {
    const checked: string[] = [];
    // `searched`: the reader's own words, which a results page repeats back to them.
    const get = async (path: string, expectStatus: number[] = [200], searched?: string) => {
      const res = await t.http.get(path).buffer(true).parse(asText);
      expect([path, expectStatus.includes(res.status)]).toEqual([path, true]);
      const body = res.body as string;
      const leaked = [...markers, HEX_MARKER].filter((m) => m !== searched && body.includes(m));
      expect([path, leaked]).toEqual([path, []]);
      checked.push(path);
      return body;
    };

    const list = JSON.parse(await get('/api/v1/public/tools?limit=100'));
    expect(list.items.map((tool: { id: string }) => tool.id)).toEqual([publicToolId]);
    const tool = JSON.parse(await get(`/api/v1/public/tools/${publicToolId}`));
    expect(tool.redactions.length).toBeGreaterThan(3);
    await get(`/api/v1/public/tools/${publicToolId}/revisions`);
    for (const id of secretToolIds) {
      await get(`/api/v1/public/tools/${id}`, [404]);
      await get(`/api/v1/public/tools/${id}/revisions`, [404]);
    }
    // A search for a confidential value finds nothing: a match would reveal it. Every marker,
    // whole (full text), cut short and misspelled (trigrams), in the list and in its facet counts.
    for (const m of markers) {
      for (const q of [m, m.slice(0, 8), m.replace('mark', 'mrak')]) {
        expect([q, JSON.parse(await get(`/api/v1/public/tools?q=${q}`)).total]).toEqual([q, 0]);
        expect([q, JSON.parse(await get(`/api/v1/public/facets?q=${q}`)).total]).toEqual([q, 0]);
      }
    }
    // Nor is any in the search's own table, whatever a query could make of it.
    const indexed = await t.sql<{ text: string }>('SELECT document::text || names AS text FROM public_search');
    expect(indexed).toHaveLength(1);
    expect(indexed.filter(({ text }) => text.includes('zqmark') || text.includes('c0ffee'))).toEqual([]);
    await get('/api/v1/public/stats');
    await get('/api/v1/public/export.json');
    await get('/api/v1/public/export.csv');
    expect(JSON.parse(await get('/api/v1/public/export.nl.json')).records).toHaveLength(1);
    await get('/api/v1/agencies');
    await get(`/api/v1/agencies/${agencyId}`);

    for (const lang of LANGUAGES) {
      await get(`/${lang}`);
      await get(`/${lang}/tools`);
      const results = await get(`/${lang}/tools?q=${markers[0]}`, [200], markers[0]);
      expect(results).toContain('<h2 id="results-title" role="status">0 ');
      await get(`/${lang}/tools/${publicToolId}`);
      await get(`/${lang}/tools/${publicToolId}/history`);
      await get(`/${lang}/agencies/${agencyId}`);
      await get(`/${lang}/verify`);
      for (const id of secretToolIds) {
        await get(`/${lang}/tools/${id}`, [404]);
        await get(`/${lang}/tools/${id}/history`, [404]);
      }
    }

    // Every log entry the public may read, and the refusal of those it may not.
    const note = await get('/log/checkpoint');
    const size = Number(note.split('\n')[1]);
    let readable = 0;
    for (let index = 0; index < size; index++) {
      const body = await get(`/api/v1/log/entries/${index}`, [200, 404]);
      if (!body.includes('"problem')) readable++;
    }
    expect(readable).toBeGreaterThan(1);
    await get('/api/v1/log/entries', [401]);
    await get('/log/tile/entries/000', [401]);
    expect(checked.length).toBeGreaterThan(100);
    recordResult({ area: 'confidentiality', tried: `${markers.length + 1} markers in every non-public field of every record type, searched for in every public response`, cases: checked.length, held: 'no marker in any public API answer, page (4 languages), export or public log entry' });
  });
});
