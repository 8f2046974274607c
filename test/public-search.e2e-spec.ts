import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// The public search as a reader uses it: words in any of the declarations' languages, stemmed,
// in websearch syntax, ranked, forgiving misspellings; filters and facet counts on the same set.

interface Summary {
  id: string;
  name: string;
  reference: string;
}
interface ListPage {
  items: Summary[];
  total: number;
  totalExact: boolean;
  match?: string;
  nextCursor: string | null;
}

function declaration(language: string, identity: Record<string, unknown>, purpose?: string): Record<string, unknown> {
  const content = exampleDeclaration() as Record<string, Record<string, unknown>>;
  content.language = language as never;
  Object.assign(content.identity, identity);
  if (purpose) content.identity.intendedPurpose = purpose;
  // The example's model type speaks of recognition: each tool here says only what it states above.
  content.transparency.modelType = 'statistical model';
  return content;
}

const TOOLS = {
  faces: declaration('pt-BR', {
    name: 'Reconhecimento de faces em vídeo',
    shortDescription: 'Compara rostos gravados com fotografias de pessoas desaparecidas.',
    lifecycle: { status: 'pilot', pilotSince: '2026-01-01' },
  }, 'Encontrar pessoas desaparecidas nas gravações.'),
  reports: declaration('es', {
    name: 'Clasificador de atestados policiales',
    shortDescription: 'Ordena los atestados por delito para su reparto entre fiscalías.',
    crimeAreas: ['fraud'],
  }, 'Repartir los atestados más rápido.'),
  plates: declaration('en', {
    name: 'Number plate recognition',
    shortDescription: 'Reads the number plates of passing vehicles at motorway cameras.',
  }, 'Finding stolen vehicles.'),
  scheduler: declaration('en', {
    name: 'Interview scheduler',
    shortDescription: 'Proposes interview slots to officers and witnesses.',
  }, 'Scheduling interviews; it performs no recognition of faces, nor of any plate.'),
  // Estonian: stemmed on PGlite; PostgreSQL 15 ships no Estonian stemmer (docs/search.md).
  speech: declaration('et', {
    name: 'Kõnetuvastus ülekuulamistel',
    shortDescription: 'Kirjutab ülekuulamiste salvestised tekstiks.',
  }, 'Ülekuulamiste protokollimine.'),
  hearings: declaration('fr', {
    name: 'Traduction des auditions',
    shortDescription: 'Traduit les auditions enregistrées pour les enquêteurs.',
  }, 'Traduire plus vite les auditions de témoins.'),
};

describe('searching the public list', () => {
  let t: TestApp;
  let admin: string;
  const ids: Record<string, string> = {};
  let agencyId: string;
  let otherAgencyId: string;

  const list = async (query: string): Promise<ListPage> => (await t.http.get(`/api/v1/public/tools?${query}`).expect(200)).body as ListPage;
  const names = async (query: string) => (await list(query)).items.map((item) => item.name);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['admin'], { sub: 'admin' });
    agencyId = await t.createAgency('Fiscalía Metropolitana', 'CR', 'prosecution');
    otherAgencyId = await t.createAgency('Polícia Judiciária', 'PT', 'police');
    for (const [key, content] of Object.entries(TOOLS)) {
      const agency = key === 'faces' ? otherAgencyId : agencyId;
      const editor = await t.token(['agency_editor'], { agencyId: agency, sub: 'editor' });
      const approver = await t.token(['agency_approver'], { agencyId: agency, sub: 'approver' });
      let res = await t.http.post('/api/v1/tools').set(bearer(editor)).send({ content }).expect(201);
      ids[key] = res.body.id;
      res = await t.http.post(`/api/v1/tools/${ids[key]}/submit`).set(bearer(editor)).set('If-Match', res.headers.etag).expect(200);
      await t.http.post(`/api/v1/tools/${ids[key]}/publish`).set(bearer(approver)).set('If-Match', res.headers.etag).expect(200);
    }
    // A draft is never found, though its words are the same.
    const editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    await t.http.post('/api/v1/tools').set(bearer(editor)).send({ content: declaration('es', { name: 'Clasificador de atestados en borrador' }) }).expect(201);
  });
  afterAll(() => t.close());

  it("stems in each declaration's own language, whatever language the reader types in", async () => {
    // Spanish: singular and plural, adjective forms.
    expect(await names('q=atestado%20policial')).toEqual(['Clasificador de atestados policiales']);
    // Portuguese: "reconhecimento facial" does not match all its words anywhere, so the tools
    // matching some are shown, the best first (the Portuguese "faces" stems to fac, "facial" not).
    const faces = await list('q=reconhecimento%20facial');
    expect(faces.match).toBe('any');
    expect(faces.items[0]!.name).toBe('Reconhecimento de faces em vídeo');
    // French and English stems.
    expect(await names('q=traduire%20audition')).toEqual(['Traduction des auditions']);
    expect(await names('q=reading%20plate')).toEqual(['Number plate recognition']);
  });

  it("indexes a language the database has no stemmer for word for word, and says which it stems", async () => {
    const [{ shipped }] = await t.sql<{ shipped: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'estonian') AS shipped`);
    const [{ config }] = await t.sql<{ config: string }>(`SELECT search_config('et')::text AS config`);
    expect(config).toBe(shipped ? 'custodia_estonian' : 'custodia_simple');
    expect(await names('q=kõnetuvastus')).toEqual(['Kõnetuvastus ülekuulamistel']);
  });

  it('finds words typed without their accents, and with accents they do not have', async () => {
    expect(await names('q=konetuvastus')).toEqual(['Kõnetuvastus ülekuulamistel']);
    expect(await names('q=video%20rostos')).toEqual(['Reconhecimento de faces em vídeo']);
    expect(await names('q=clasificación%20atestados')).toEqual(['Clasificador de atestados policiales']);
  });

  it('ranks a match in the name above one in the purpose', async () => {
    const found = await list('q=recognition');
    expect(found.match).toBe('all');
    expect(found.items.map((i) => i.name)).toEqual(['Number plate recognition', 'Interview scheduler']);
  });

  it('takes quotes as a phrase, -word as "without" and or as either', async () => {
    expect((await names('q=plate%20recognition')).sort()).toEqual(['Interview scheduler', 'Number plate recognition']);
    expect(await names('q=%22plate%20recognition%22')).toEqual(['Number plate recognition']);
    expect(await names('q=recognition%20-faces')).toEqual(['Number plate recognition']);
    expect((await names('q=atestados%20or%20auditions')).sort()).toEqual(['Clasificador de atestados policiales', 'Traduction des auditions']);
  });

  it('finds misspelled and partial names by similarity, and says so', async () => {
    const misspelled = await list('q=clasifcador%20atestdos');
    expect(misspelled.match).toBe('similar');
    expect(misspelled.items.map((i) => i.name)).toEqual(['Clasificador de atestados policiales']);
    expect(await names('q=Traduc')).toEqual(['Traduction des auditions']);
    const nothing = await list('q=zzqqxxyy');
    expect([nothing.total, nothing.items]).toEqual([0, []]);
  });

  it('combines the words with the filters, and pages a ranked list without repeating a tool', async () => {
    expect(await names(`q=recognition&agencyId=${agencyId}&lifecycle=in_use`)).toEqual(['Number plate recognition', 'Interview scheduler']);
    expect(await names('q=reconhecimento&country=CR')).toEqual([]);
    const first = await list('q=recognition&limit=1');
    expect(first.total).toBe(2);
    const second = await list(`q=recognition&limit=1&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(['Number plate recognition', 'Interview scheduler']);
    expect(second.nextCursor).toBeNull();
  });

  it("counts the result set's facets, each count the total of that filter added", async () => {
    const facets = (await t.http.get('/api/v1/public/facets?q=recognition%20or%20auditions').expect(200)).body;
    expect(facets.total).toBe(3);
    expect(facets.country).toEqual([{ value: 'CR', count: 3 }]);
    for (const facet of ['agencyKind', 'riskClass', 'lifecycle', 'crimeArea'] as const) {
      for (const { value, count } of facets[facet] as Array<{ value: string; count: number }>) {
        expect([facet, value, (await list(`q=recognition%20or%20auditions&${facet}=${value}`)).total]).toEqual([facet, value, count]);
      }
    }
    const all = (await t.http.get('/api/v1/public/facets').expect(200)).body;
    expect(all.total).toBe(6);
    expect(all.lifecycle).toEqual([{ value: 'in_use', count: 5 }, { value: 'pilot', count: 1 }]);
    expect(all.crimeArea).toContainEqual({ value: 'fraud', count: 1 });
    const bad = await t.http.get('/api/v1/public/facets?riskClass=enormous').expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it("finds a tool by its agency's new name once the agency is renamed", async () => {
    expect(await names('q=Quetzaltenango')).toEqual([]);
    await t.http.put(`/api/v1/agencies/${agencyId}`).set(bearer(admin)).send({ name: 'Fiscalía de Quetzaltenango', kind: 'prosecution' }).expect(200);
    expect((await names('q=Quetzaltenango')).sort()).toEqual(['Clasificador de atestados policiales', 'Interview scheduler', 'Kõnetuvastus ülekuulamistel', 'Number plate recognition', 'Traduction des auditions']);
  });

  it('counts exactly up to 1,000 and says "more than" past it, still paging through all', async () => {
    // 1,200 tools published at once, written straight into the tables (as a bulk import would),
    // the tool rows before their revisions: indexed when the transaction commits.
    await t.sql(`
      WITH tools AS (
        INSERT INTO tools (agency_id, reference, latest_revision, published_revision)
        SELECT $1::uuid, 'BULK-' || lpad(n::text, 5, '0'), 1, 1 FROM generate_series(1, 1200) n RETURNING id, reference)
      INSERT INTO tool_revisions (tool_id, number, status, content, author_id, submitted_at, decided_at, decided_by, redactions)
      SELECT id, 1, 'published', jsonb_set($2::jsonb, '{identity,name}', to_jsonb('Bulk tool ' || reference)), 'bulk', now(), now(), 'bulk', '[]' FROM tools`,
    [agencyId, JSON.stringify(declaration('en', { name: 'x' }, 'Bulk loaded.'))]);
    const page = await list('q=bulk');
    expect([page.total, page.totalExact]).toEqual([1000, false]);
    expect((await t.http.get('/api/v1/public/facets?q=bulk').expect(200)).body.total).toBe(1200);
    const few = await list('q=%22bulk%20tool%20BULK-00012%22');
    expect([few.total, few.totalExact]).toEqual([1, true]);
    let seen = 0;
    let cursor: string | null = null;
    do {
      const next: ListPage = await list(`country=CR&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      seen += next.items.length;
      cursor = next.nextCursor;
    } while (cursor);
    expect(seen).toBe(1205);
  });

  it('counts the facets of a search without words from the counts it keeps, as tools come and their agency changes', async () => {
    type Counts = Record<string, Array<{ value: string; count: number }>>;
    const FACETS = ['country', 'agencyKind', 'riskClass', 'lifecycle', 'crimeArea'] as const;
    const byValue = (counts: Array<{ value: string; count: number }>) => [...counts].sort((a, b) => a.value.localeCompare(b.value));
    const facets = async (query: string): Promise<Counts> => {
      const body = (await t.http.get(`/api/v1/public/facets?${query}`).expect(200)).body as Counts & { total: number };
      return Object.fromEntries([['total', [{ value: '', count: body.total }]], ...FACETS.map((f) => [f, byValue(body[f]!)])]);
    };
    // What the public rows hold, counted one by one. `others` filters every facet but its own,
    // `base` every one.
    const counted = async (others: Partial<Record<(typeof FACETS)[number], string>> = {}, base = 'true'): Promise<Counts> => {
      const where = (facet?: string) => [base, ...Object.entries(others).filter(([f]) => f !== facet).map(([, c]) => c)].join(' AND ');
      const column = { country: 'country', agencyKind: 'agency_kind', riskClass: 'risk_class', lifecycle: 'lifecycle' } as const;
      const rows = await t.sql<{ facet: string; value: string; count: number }>(
        [
          ...Object.entries(column).map(([f, c]) => `SELECT '${f}' AS facet, ${c} AS value, count(*)::int AS count FROM public_search WHERE ${where(f)} GROUP BY 2`),
          `SELECT 'crimeArea', area, count(*)::int FROM public_search, unnest(crime_areas) area WHERE ${where('crimeArea')} GROUP BY 2`,
          `SELECT 'total', '', count(*)::int FROM public_search WHERE ${where()}`,
        ].join(' UNION ALL '),
      );
      return Object.fromEntries(['total', ...FACETS].map((f) => [f, byValue(rows.filter((r) => r.facet === f).map(({ value, count }) => ({ value, count })))]));
    };
    const all = await facets('');
    expect(all).toEqual(await counted());
    expect(all.total).toEqual([{ value: '', count: 1206 }]);
    expect(all.country).toEqual([{ value: 'CR', count: 1205 }, { value: 'PT', count: 1 }]);
    expect(await facets('lifecycle=in_use&country=CR')).toEqual(await counted({ lifecycle: "lifecycle = 'in_use'", country: "country = 'CR'" }));
    expect(await facets(`agencyId=${otherAgencyId}`)).toEqual(await counted({}, `agency_id = '${otherAgencyId}'`));

    // The agency of 1,205 tools becomes a police force: each of its tools moves to that kind.
    await t.http.put(`/api/v1/agencies/${agencyId}`).set(bearer(admin)).send({ name: 'Fiscalía de Quetzaltenango', kind: 'police' }).expect(200);
    const moved = await facets('');
    expect(moved.agencyKind).toEqual([{ value: 'police', count: 1206 }]);
    expect(moved).toEqual(await counted());
    expect(await facets('agencyKind=prosecution')).toEqual(await counted({ agencyKind: "agency_kind = 'prosecution'" }));
  });

  it('keeps those counts right while many transactions move tools between the same combinations at once', async () => {
    const bulk = (await t.sql<{ id: string }>(`SELECT id FROM tools WHERE reference LIKE 'BULK-%' ORDER BY reference LIMIT 40`)).map((r) => r.id);
    // A tool moved to another agency (another country and kind), as a reorganisation would,
    // each in a transaction of its own: indexed again at its commit.
    const move = (id: string, agency: string) => t.sql('UPDATE tools SET agency_id = $2 WHERE id = $1', [id, agency]);
    // The counts kept, and the rows counted one by one.
    const kept = () => t.sql(`SELECT agency_id, country, agency_kind, risk_class, annex_iii_point, lifecycle, crime_areas, tools
      FROM public_search_cells ORDER BY 1, 2, 3, 4, 5, 6, 7`);
    const counted = () => t.sql(`SELECT agency_id, country, agency_kind, risk_class, coalesce(annex_iii_point, '') AS annex_iii_point, lifecycle, crime_areas,
      count(*)::int AS tools FROM public_search GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`);
    // (With a token: never from the public cache, which these writes past the log do not tell.)
    const portuguese = async () => (await t.http.get('/api/v1/public/facets?country=PT').set(bearer(admin)).expect(200)).body.total as number;
    const before = await portuguese();
    await Promise.all(bulk.slice(0, 20).map((id) => move(id, otherAgencyId)));
    expect(await portuguese()).toBe(before + 20);
    // Twenty tools into the other agency's combination and twenty out of it, side by side; then
    // the last twenty out.
    await Promise.all(bulk.map((id, k) => move(id, k < 20 ? agencyId : otherAgencyId)));
    expect(await portuguese()).toBe(before + 20);
    expect(await kept()).toEqual(await counted());
    await Promise.all(bulk.slice(20).map((id) => move(id, agencyId)));
    expect(await portuguese()).toBe(before);
    expect(await kept()).toEqual(await counted());
  });

  it('shows the portal reader how their words matched and how many tools there are', async () => {
    const some = (await t.http.get('/en/tools?q=reconhecimento%20facial').expect(200)).text;
    expect(some).toContain('No tool matches all your words');
    const similar = (await t.http.get('/es/tools?q=clasifcador').expect(200)).text;
    expect(similar).toContain('Ninguna herramienta contiene estas palabras');
    const many = (await t.http.get('/en/tools?country=CR').expect(200)).text;
    expect(many).toContain('More than 1,000 tools');
    expect(many).toMatch(/Costa Rica \(1,205\)/);
  });
});
