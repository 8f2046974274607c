import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public search's own table (CONTRACT.md "Public view", docs/search.md): one row for each
 * published, public tool with the public fields the list shows and filters on, in plain indexed
 * columns, and its text as a weighted `tsvector` in the declaration's language plus `simple`
 * for names and references (`document`, all of the public text, to match; `head`, the names,
 * short description and purpose, to rank), and its names as text for trigrams (misspellings,
 * partial names).
 *
 * PostgreSQL keeps it: a deferred trigger on tools rebuilds a tool's row when the transaction
 * that published it, made it non-public or moved it commits (so also bulk loads that insert the
 * tool before its revision), and one on agencies when an agency's name, country or kind changes.
 * Only `public` fields of the schema are read (the paths below, which a unit test holds equal
 * to the schema's public text fields): nothing restricted, redacted or non-public can be found.
 */
export const SEARCHED_PATHS = {
  /** Weight A, also as `simple`: the tool's names. */
  names: ['$.identity.name', '$.identity.tradeName', '$.identity.provider.name', '$.identity.euDatabase.reference'],
  /** Weight B. */
  description: ['$.identity.shortDescription'],
  /** Weight C. */
  purpose: ['$.identity.intendedPurpose', '$.identity.functions[*]'],
  /** Weight D, the rest of the public text. */
  rest: [
    '$.classification.rationale',
    ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((point) => `$.classification.article5Screening.${point}.explanation`),
    '$.transparency.modelType',
    '$.transparency.techniques[*]',
    '$.transparency.inputs',
    '$.transparency.outputs',
    '$.transparency.explainability',
    ...['understandCapacities', 'automationBias', 'interpretOutput', 'decideNotToUse', 'interveneOrStop'].map((f) => `$.transparency.humanOversight.${f}`),
    '$.transparency.humanReview',
    '$.transparency.affectedPersons.informationGiven',
    '$.transparency.affectedPersons.howToContest',
    '$.legalBasis[*].jurisdiction',
    '$.legalBasis[*].instrument',
    '$.legalBasis[*].article',
    '$.legalBasis[*].summary',
  ],
} as const;

/**
 * The snowball configuration for a declaration's language (a BCP 47 tag: its first subtag); a
 * language the database has no stemmer for is indexed word for word (`simple`): on PostgreSQL 15
 * that is Estonian too, which PGlite (PostgreSQL 17 and later) stems.
 */
export const LANGUAGE_CONFIGS: Record<string, string> = {
  ar: 'arabic', ca: 'catalan', da: 'danish', de: 'german', el: 'greek', en: 'english', es: 'spanish', et: 'estonian',
  eu: 'basque', fi: 'finnish', fr: 'french', ga: 'irish', hu: 'hungarian', hy: 'armenian', id: 'indonesian',
  it: 'italian', lt: 'lithuanian', nb: 'norwegian', nl: 'dutch', nn: 'norwegian', no: 'norwegian', pt: 'portuguese',
  ro: 'romanian', ru: 'russian', sr: 'serbian', sv: 'swedish', tr: 'turkish',
};

/** The strings at those paths of a revision's content, one per line. */
const text = (paths: readonly string[]) =>
  `coalesce((SELECT string_agg(v #>> '{}', E'\\n') FROM (${paths.map((p) => `SELECT jsonb_path_query(content, '${p}')`).join(' UNION ALL ')}) q(v)
     WHERE jsonb_typeof(v) = 'string'), '')`;

export class FullTextSearch1764900000000 implements MigrationInterface {
  name = 'FullTextSearch1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    // Only the stemmers this server ships: PostgreSQL 15 has no Estonian one (16 added it).
    const shipped = new Set((await q.query('SELECT cfgname FROM pg_ts_config')).map((r: { cfgname: string }) => r.cfgname));
    const stemmed = [...new Set(Object.values(LANGUAGE_CONFIGS))].filter((config) => shipped.has(config));
    // Each as custodia_<language>: accents taken off before the stemmer, in what is indexed and
    // in what is asked alike, so that "audiencias" finds "audiências" and "policia" "policía".
    for (const config of ['simple', ...stemmed]) {
      await q.query(`CREATE TEXT SEARCH CONFIGURATION custodia_${config} (COPY = pg_catalog.${config})`);
      await q.query(`ALTER TEXT SEARCH CONFIGURATION custodia_${config} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, ${config === 'simple' ? 'simple' : `${config}_stem`}`);
    }
    const configs = Object.entries(LANGUAGE_CONFIGS)
      .filter(([, config]) => shipped.has(config))
      .map(([code, config]) => `WHEN '${code}' THEN 'custodia_${config}'::regconfig`)
      .join(' ');
    await q.query(`
      CREATE FUNCTION search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE lower(split_part(coalesce(language, ''), '-', 1)) ${configs} ELSE 'custodia_simple'::regconfig END $$`);
    // PL/pgSQL, whose statements are planned once per session: as SQL functions (not inlined,
    // for their subqueries) they were planned again on every call, 3 ms a tool.
    await q.query(`
      CREATE FUNCTION search_text(content jsonb, part text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      BEGIN
        CASE part
          WHEN 'names' THEN RETURN ${text(SEARCHED_PATHS.names)};
          WHEN 'description' THEN RETURN ${text(SEARCHED_PATHS.description)};
          WHEN 'purpose' THEN RETURN ${text(SEARCHED_PATHS.purpose)};
          ELSE RETURN ${text(SEARCHED_PATHS.rest)};
        END CASE;
      END $$`);
    await q.query(`
      CREATE TABLE public_search (
        tool_id uuid PRIMARY KEY REFERENCES tools (id),
        reference text NOT NULL,
        agency_id uuid NOT NULL,
        agency_name text NOT NULL,
        country text NOT NULL,
        agency_kind text NOT NULL,
        revision integer NOT NULL,
        published_at timestamptz NOT NULL,
        name text NOT NULL,
        short_description text NOT NULL,
        language text,
        risk_class text NOT NULL,
        annex_iii_point text,
        lifecycle text NOT NULL,
        crime_areas text[] NOT NULL,
        config regconfig NOT NULL,
        head tsvector NOT NULL,
        document tsvector NOT NULL,
        names text NOT NULL
      ) WITH (toast_tuple_target = 128)`);
    // The whole text, which only the GIN index reads to match, goes out of line (TOAST): the
    // rows a search ranks and lists stay narrow, so that ranking thousands of matches reads a
    // few MB instead of the whole table (at 100,000 tools: 148 ms with it inline, measured with
    // EXPLAIN ANALYZE). What ranks and lists stays in the row.
    for (const column of ['reference', 'agency_name', 'name', 'short_description', 'head', 'names']) {
      await q.query(`ALTER TABLE public_search ALTER COLUMN ${column} SET STORAGE MAIN`);
    }
    await q.query(`
      CREATE FUNCTION public_search_refresh(tool uuid) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM public_search WHERE tool_id = tool;
        INSERT INTO public_search (tool_id, reference, agency_id, agency_name, country, agency_kind, revision, published_at,
                                   name, short_description, language, risk_class, annex_iii_point, lifecycle, crime_areas,
                                   config, head, document, names)
        SELECT t.id, t.reference, a.id, a.name, a.country, a.kind, r.number, r.decided_at,
               r.content #>> '{identity,name}', r.content #>> '{identity,shortDescription}', r.content ->> 'language',
               r.risk_class, r.annex_iii_point, r.lifecycle,
               coalesce(ARRAY(SELECT jsonb_array_elements_text(r.content #> '{identity,crimeAreas}')), '{}'),
               c.config, h.head,
               h.head || setweight(to_tsvector(c.config, search_text(r.content, 'rest')), 'D') || setweight(to_tsvector('custodia_simple', a.name), 'D'),
               concat_ws(E'\n', t.reference, search_text(r.content, 'names'), a.name)
          FROM tools t JOIN agencies a ON a.id = t.agency_id JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision
         CROSS JOIN LATERAL (SELECT search_config(r.content ->> 'language') AS config) c
         -- What ranks: the names (also word for word), the short description, the purpose.
         CROSS JOIN LATERAL (SELECT
               setweight(to_tsvector('custodia_simple', t.reference || E'\n' || search_text(r.content, 'names')), 'A') ||
               setweight(to_tsvector(c.config, search_text(r.content, 'names')), 'A') ||
               setweight(to_tsvector(c.config, search_text(r.content, 'description')), 'B') ||
               setweight(to_tsvector(c.config, search_text(r.content, 'purpose')), 'C') AS head) h
         WHERE t.id = tool AND NOT t.non_public;
      END $$`);
    await q.query(`
      CREATE FUNCTION public_search_tool() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM public_search_refresh(NEW.id);
        RETURN NULL;
      END $$`);
    // Deferred to the commit: by then the published revision is in place, whatever the order.
    await q.query(`
      CREATE CONSTRAINT TRIGGER tools_public_search AFTER INSERT OR UPDATE OF published_revision, non_public, reference, agency_id ON tools
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_search_tool()`);
    await q.query(`
      CREATE FUNCTION public_search_agency() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM public_search_refresh(t.id) FROM tools t WHERE t.agency_id = NEW.id AND t.published_revision IS NOT NULL;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER agencies_public_search AFTER UPDATE OF name, country, kind ON agencies
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.country IS DISTINCT FROM NEW.country OR OLD.kind IS DISTINCT FROM NEW.kind)
        EXECUTE FUNCTION public_search_agency()`);
    await q.query('SELECT public_search_refresh(id) FROM tools WHERE published_revision IS NOT NULL AND NOT non_public');

    // The list's orders and filters, each with the reference order's tie-break, so that a page
    // of 20 reads about 20 rows of an index, whatever the filter.
    await q.query('CREATE UNIQUE INDEX public_search_reference_idx ON public_search (reference)');
    for (const column of ['country', 'agency_id', 'agency_kind', 'risk_class', 'annex_iii_point', 'lifecycle']) {
      await q.query(`CREATE INDEX public_search_${column}_idx ON public_search (${column}, reference)`);
    }
    await q.query('CREATE INDEX public_search_recent_idx ON public_search (published_at DESC, reference)');
    await q.query('CREATE INDEX public_search_crime_areas_idx ON public_search USING gin (crime_areas)');
    await q.query('CREATE INDEX public_search_document_idx ON public_search USING gin (document)');
    await q.query('CREATE INDEX public_search_names_idx ON public_search USING gin (names gin_trgm_ops)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER agencies_public_search ON agencies');
    await q.query('DROP TRIGGER tools_public_search ON tools');
    await q.query('DROP FUNCTION public_search_agency()');
    await q.query('DROP FUNCTION public_search_tool()');
    await q.query('DROP TABLE public_search');
    await q.query('DROP FUNCTION public_search_refresh(uuid)');
    await q.query('DROP FUNCTION search_text(jsonb, text)');
    await q.query('DROP FUNCTION search_config(text)');
    for (const { cfgname } of await q.query(`SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'custodia\\_%'`)) {
      await q.query(`DROP TEXT SEARCH CONFIGURATION ${cfgname as string}`);
    }
  }
}
