import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { incidentDeadline } from '../declarations/incidents/incident-deadline.js';
import { INCIDENT_SCHEMA } from '../declarations/incidents/incident.schema.js';
import { projectContent } from '../declarations/schema/projection.js';
import type { AssessmentKind } from '../declarations/assessments/assessment.schemas.js';
import { PreparedReads } from '../database/prepared-reads.js';
import { decodeCursor, encodeCursor } from '../pagination/page.js';
import type { PublicToolFilter } from './api/public-tools.query.js';
import { allOf, type Facet, FACET_COLUMNS, READ_QUERIES, searchConfigs, type SearchSql, searchVariants, textsToRead, type TextMatch, TOTAL_BOUND } from './public-search.js';
import {
  type PublicAssessment,
  publicAssessment,
  type PublicAuthorisation,
  publicAuthorisation,
  type PublicFinding,
  publicFinding,
  type PublicRevision,
  publicRevision,
  type PublishedRevisionRow,
} from './public-projection.js';

export interface PublicAgency {
  id: string;
  name: string;
  country: string;
  kind: string;
}

/** One line of the public list: enough to choose a tool, all of it public. */
export interface PublicToolSummary {
  id: string;
  reference: string;
  name: string;
  shortDescription: string;
  language: string | null;
  agency: PublicAgency;
  riskClass: string;
  annexIIIPoint: string | null;
  lifecycle: string;
  crimeAreas: string[];
  revision: number;
  publishedAt: string;
}

/** A published tool as the public sees it: its latest published revision and its records. */
export interface PublicTool extends PublicRevision {
  id: string;
  reference: string;
  agency: PublicAgency;
  /** How many revisions have been published (all of them are at /revisions). */
  publishedRevisions: number;
  authorisations: PublicAuthorisation[];
  assessments: PublicAssessment[];
  findings: PublicFinding[];
  /** Serious incidents (AI Act Art. 73): each one's latest version, its public fields only, and whether it was notified late. */
  incidents: PublicIncident[];
  /** Reports from the public on this tool: how many, and how many were answered or dismissed (never their text). */
  reports: { received: number; answered: number; dismissed: number };
}

export interface PublicIncident {
  id: string;
  version: number;
  recordedAt: string;
  content: Record<string, unknown>;
  /** When the authority had to be told, and whether it was told late (AI Act Art. 73). */
  dueOn: string | null;
  notifiedLate: boolean;
}

export interface PublicToolPage {
  items: PublicToolSummary[];
  /** How many tools match: exactly, or (totalExact false) more than this many. */
  total: number;
  totalExact: boolean;
  /** With `q`: whether the tools matched all its words, only some, or only by similar names. */
  match?: TextMatch;
  nextCursor: string | null;
}

export interface FacetCount {
  value: string;
  count: number;
}

/** How many of the tools a search finds fall in each value of each facet (all exact). */
export interface PublicToolFacets {
  total: number;
  match?: TextMatch;
  country: FacetCount[];
  agencyKind: FacetCount[];
  riskClass: FacetCount[];
  lifecycle: FacetCount[];
  crimeArea: FacetCount[];
}

interface SearchRow {
  tool_id: string;
  reference: string;
  agency_id: string;
  agency_name: string;
  country: string;
  agency_kind: string;
  revision: number;
  published_at: Date;
  name: string;
  short_description: string;
  language: string | null;
  risk_class: string;
  annex_iii_point: string | null;
  lifecycle: string;
  crime_areas: string[];
}

/** How many tools match, counted up to one past the bound. */
const boundedCount = (where: string) => `SELECT count(*)::int AS total FROM (SELECT 1 FROM public_search s WHERE ${where} LIMIT ${TOTAL_BOUND + 1}) x`;

interface PageRequest {
  limit: number;
  cursor?: string;
  offset?: number;
  recent?: boolean;
}

/** How many texts of searches are kept read into tsqueries (a few hundred bytes each). */
const READINGS_KEPT = 5000;

const SUMMARY_COLUMNS = `s.tool_id, s.reference, s.agency_id, s.agency_name, s.country, s.agency_kind, s.revision, s.published_at,
  s.name, s.short_description, s.language, s.risk_class, s.annex_iii_point, s.lifecycle, s.crime_areas`;

export interface Count {
  value: string;
  public: number;
  nonPublic: number;
}

export interface PublicStats {
  tools: { public: number; nonPublic: number };
  agencies: number;
  countries: number;
  byCountry: Count[];
  byAgencyKind: Count[];
  byRiskClass: Count[];
  byLifecycle: Count[];
  /** Authorisations decided each year, by outcome (AI Act Art. 5(6)); all tools, counts only. */
  authorisationsByYear: Array<{ year: number; granted: number; refused: number; revoked: number; expired: number; pending: number }>;
  /**
   * AI Act Art. 5(6): per country and year, the authorisations of real-time remote biometric
   * identification requested (by the year of the request), granted and refused (by the year of
   * the decision) and revoked (by the year of the revocation). Counts only, every tool included.
   */
  authorisationsByCountryAndYear: AuthorisationFigures[];
}

export interface AuthorisationFigures {
  country: string;
  year: number;
  requested: number;
  granted: number;
  refused: number;
  revoked: number;
}

interface ToolRow extends PublishedRevisionRow {
  id: string;
  reference: string;
  agency_id: string;
  agency_name: string;
  agency_country: string;
  agency_kind: string;
  published_revisions: number;
}

// Published, public tools with their latest published revision, agency and publishing entry.
const PUBLISHED = `
  FROM tools t
  JOIN agencies a ON a.id = t.agency_id
  JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision
  LEFT JOIN tool_publications p ON p.tool_id = r.tool_id AND p.revision = r.number
  LEFT JOIN log_entries e ON e.queue_id = p.queue_id
  WHERE t.published_revision IS NOT NULL AND NOT t.non_public`;

const TOOL_COLUMNS = `t.id, t.reference, t.agency_id, a.name AS agency_name, a.country AS agency_country, a.kind AS agency_kind,
  r.number, r.content, r.redactions, r.decided_at, e.idx AS log_index, e.leaf_hash,
  (SELECT count(*)::int FROM tool_revisions x WHERE x.tool_id = t.id AND x.status = 'published') AS published_revisions`;

const REVISION_COLUMNS = `r.tool_id, r.number, r.content, r.redactions, r.decided_at, e.idx AS log_index, e.leaf_hash`;

/**
 * The public view of the registry (CONTRACT.md "Public view"): published revisions of tools
 * not declared non-public, projected by `public-projection.ts`. Searches and filters only ever
 * look at public fields, so that a match cannot reveal a confidential value.
 */
@Injectable()
export class PublicToolsService {
  private configs?: Promise<string[]>;
  /** Readings of query texts under way, by texts. */
  private readonly reading = new Map<string, Promise<Map<string, string>>>();
  /** Texts read, with their tsquery's text. */
  private readonly readings = new LRUCache<string, string>({ max: READINGS_KEPT });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: PreparedReads,
  ) {}

  /**
   * Filtered (and with `q`, ranked) public tools: in reference order by cursor or offset, the most
   * recently published first, or with `q` best match first. Reads `public_search` alone.
   */
  async search(filter: PublicToolFilter, page: PageRequest): Promise<PublicToolPage> {
    const variants = await this.variantsOf(filter);
    // The strictest way the text can match that finds a tool (the last one when none does):
    // its count and its page side by side, the next way only when it found none.
    for (const [k, search] of variants.entries()) {
      const found = search.score ? await this.ranked(search, page) : await this.listed(search, page);
      if (found.total === 0 && k < variants.length - 1) continue;
      const items = found.rows.slice(0, page.limit).map(summary);
      const more = found.rows.length > page.limit;
      const nextCursor = !more ? null : search.score ? encodeCursor([found.offset + page.limit]) : encodeCursor([items[items.length - 1]!.reference]);
      return {
        items,
        total: Math.min(found.total, TOTAL_BOUND),
        totalExact: found.total <= TOTAL_BOUND,
        ...(search.match ? { match: search.match } : {}),
        nextCursor,
      };
    }
    throw new Error('a search has at least one way to match');
  }

  /**
   * Without words: in reference order (or newest first), by cursor or offset, and counted up to
   * the bound, in one statement (a row for the count even when the page is empty): one round trip
   * and one pool connection a page, where two queries side by side cost the service twice.
   */
  private async listed(search: SearchSql, page: PageRequest): Promise<{ rows: SearchRow[]; total: number; offset: number }> {
    const params = [...search.params];
    const after = page.cursor ? ` AND s.reference > $${params.push(decodeCursor(page.cursor, ['string'])[0])}` : '';
    const order = page.recent ? 's.published_at DESC, s.reference' : 's.reference';
    const offset = page.offset ?? 0;
    // The page's references from the index of its order alone (each carries the filter columns,
    // migrations/1765000000000), then their rows.
    const references = `SELECT s.reference FROM public_search s WHERE ${search.where}${after} ORDER BY ${order} LIMIT ${page.limit + 1} OFFSET ${offset}`;
    const found = await this.reads.query<SearchRow & { total: number }>(
      `SELECT c.total, p.* FROM (${boundedCount(search.where)}) c
         LEFT JOIN LATERAL (SELECT ${SUMMARY_COLUMNS} FROM (${references}) k JOIN public_search s ON s.reference = k.reference ORDER BY ${order}) p ON true`,
      params,
    );
    return { rows: found.filter((row) => row.tool_id !== null), total: found[0]!.total, offset };
  }

  /**
   * With words: the matches ranked best first, at most TOTAL_BOUND + 1 of them (the first found
   * past the bound), and counted, in one scan; pages by position.
   */
  private async ranked(search: SearchSql, page: PageRequest): Promise<{ rows: SearchRow[]; total: number; offset: number }> {
    const params = [...search.params];
    const offset = page.cursor ? (decodeCursor(page.cursor, ['number'])[0] as number) : (page.offset ?? 0);
    const score = search.score!((value) => `$${params.push(value)}`);
    const rows = await this.withSettings(search, (query) =>
      query<SearchRow & { total: number }>(
        `SELECT ${SUMMARY_COLUMNS}, count(*) OVER ()::int AS total
           FROM (SELECT ${SUMMARY_COLUMNS}, ${score} AS score FROM public_search s WHERE ${search.where} LIMIT ${TOTAL_BOUND + 1}) s
          ORDER BY s.score DESC, s.reference LIMIT ${page.limit + 1} OFFSET ${offset}`,
        params,
      ),
    );
    if (rows.length > 0 || offset === 0) return { rows, total: rows[0]?.total ?? 0, offset };
    // Past the last match: how many there are, for the answer's total.
    const [{ total }] = await this.withSettings(search, (query) =>
      query<{ total: number }>(boundedCount(search.where), search.params),
    );
    return { rows, total, offset };
  }

  /**
   * The tools the search finds, counted by each facet's values: for a facet the search filters
   * on, the counts are those the search would find with that value instead (so that a reader
   * sees what choosing another country would give). Without words, from the counts kept per
   * combination of filtered values (`public_search_cells`, migrations/1765100000000); with words,
   * in one scan of the tools the words and the other filters find.
   */
  async facetCounts(filter: PublicToolFilter): Promise<PublicToolFacets> {
    const search = await this.variant(filter);
    const facets = Object.keys(FACET_COLUMNS) as Facet[];
    const conditions = Object.entries(search.filters) as Array<[keyof PublicToolFilter, string]>;
    const isFacet = (name: string): name is Facet => name in FACET_COLUMNS;
    const base = [search.text, ...conditions.filter(([name]) => !isFacet(name)).map(([, c]) => c)];
    const others = (facet?: Facet) => conditions.filter(([name]) => isFacet(name) && name !== facet).map(([, c]) => c);
    // The cells carry the filtered columns under the same names, so the same conditions apply.
    const { matches, source, n, where } = search.text
      ? {
          matches: `WITH m AS MATERIALIZED (SELECT ${Object.values(FACET_COLUMNS).map((c) => `s.${c}`).join(', ')} FROM public_search s WHERE ${allOf(base)})`,
          source: 'm s',
          n: 'count(*)',
          where: (facet?: Facet) => allOf(others(facet)),
        }
      : { matches: '', source: 'public_search_cells s', n: 'coalesce(sum(s.tools), 0)', where: (facet?: Facet) => allOf([...base, ...others(facet)]) };
    const counts = facets.map((facet) =>
      facet === 'crimeArea'
        ? `SELECT 'crimeArea' AS facet, area AS value, ${n}::int AS n FROM ${source}, unnest(s.crime_areas) area WHERE ${where(facet)} GROUP BY 2`
        : `SELECT '${facet}' AS facet, s.${FACET_COLUMNS[facet]} AS value, ${n}::int AS n FROM ${source} WHERE ${where(facet)} GROUP BY 2`,
    );
    const rows = await this.withSettings(search, (query) => query<{ facet: Facet | 'total'; value: string | null; n: number }>(
      `${matches} ${counts.join(' UNION ALL ')}
       UNION ALL SELECT 'total', NULL, ${n}::int FROM ${source} WHERE ${where()}`,
      search.params,
    ));
    const result: PublicToolFacets = { total: 0, ...(search.match ? { match: search.match } : {}), country: [], agencyKind: [], riskClass: [], lifecycle: [], crimeArea: [] };
    for (const { facet, value, n } of rows) {
      if (facet === 'total') result.total = n;
      else if (value !== null) result[facet].push({ value, count: n });
    }
    for (const facet of facets) result[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    return result;
  }

  /** The strictest way the text can match that finds a tool (the last one when none does). */
  private async variant(filter: PublicToolFilter): Promise<SearchSql> {
    const variants = await this.variantsOf(filter);
    for (const variant of variants.slice(0, -1)) {
      const found = await this.dataSource.query(`SELECT 1 FROM public_search s WHERE ${variant.where} LIMIT 1`, variant.params);
      if (found.length > 0) return variant;
    }
    return variants[variants.length - 1]!;
  }

  /** Runs a search's queries: side by side on the pool, or with its settings in a transaction. */
  private withSettings<T>(search: SearchSql, work: (query: <R>(sql: string, params: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    if (!search.settings) return work((sql, params) => this.reads.query(sql, params));
    return this.dataSource.transaction(async (m) => {
      const settings = Object.entries(search.settings!);
      await m.query(`SELECT ${settings.map((_, k) => `set_config($${2 * k + 1}, $${2 * k + 2}, true)`).join(', ')}`, settings.flat());
      // One connection: its queries one after another.
      let chain: Promise<unknown> = Promise.resolve();
      return work(<R>(sql: string, params: unknown[]) => {
        const next = chain.then(() => this.reads.query<R>(sql, params, m));
        chain = next.catch(() => undefined);
        return next;
      });
    });
  }

  /** The ways the filter's text can match, its words read by the database's configurations. */
  private async variantsOf(filter: PublicToolFilter): Promise<SearchSql[]> {
    const texts = textsToRead(filter);
    const readings = texts.length > 0 ? await this.read(texts) : new Map<string, string>();
    return searchVariants(filter, (text) => readings.get(text) ?? '');
  }

  /**
   * The texts as tsqueries. A text's reading depends on nothing but the text and this database's
   * configurations, so each is kept (the last READINGS_KEPT read): a search asked again, or its
   * next page, does not ask the database to read it again. A page that lists and counts the same
   * words at once (the portal's search) asks once.
   */
  private async read(texts: string[]): Promise<Map<string, string>> {
    const found = new Map(texts.flatMap((text): Array<[string, string]> => {
      const query = this.readings.get(text);
      return query === undefined ? [] : [[text, query]];
    }));
    const missing = texts.filter((text) => !found.has(text));
    if (missing.length === 0) return found;
    const key = JSON.stringify(missing);
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.searchConfigs()
        .then((configs) => this.reads.query<{ input: string; query: string }>(READ_QUERIES, [missing, configs]))
        .then((rows) => new Map(rows.map(({ input, query }) => [input, query])))
        .finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    for (const [text, query] of await reading) {
      this.readings.set(text, query);
      found.set(text, query);
    }
    return found;
  }

  /** The text search configurations of this database a query is read in, asked once. */
  private searchConfigs(): Promise<string[]> {
    this.configs ??= this.dataSource
      .query<Array<{ cfgname: string }>>('SELECT cfgname FROM pg_ts_config')
      .then((rows) => searchConfigs(rows.map((r) => r.cfgname)))
      .catch((error: unknown) => {
        this.configs = undefined;
        throw error;
      });
    return this.configs;
  }

  async tool(id: string): Promise<PublicTool | undefined> {
    // Side by side: the records of a tool that is not public are read for nothing, but never shown.
    const [[row], records] = await Promise.all([
      this.dataSource.query<ToolRow[]>(`SELECT ${TOOL_COLUMNS} ${PUBLISHED} AND t.id = $1`, [id]),
      this.records([id]),
    ]);
    if (!row) return undefined;
    return toolOf(row, records);
  }

  /** Every published revision of a public tool, oldest first; undefined when there is no such tool. */
  async revisions(id: string): Promise<PublicRevision[] | undefined> {
    const [tool] = await this.dataSource.query<Array<{ id: string }>>(`SELECT t.id ${PUBLISHED} AND t.id = $1`, [id]);
    if (!tool) return undefined;
    const rows = await this.dataSource.query<PublishedRevisionRow[]>(
      `SELECT ${REVISION_COLUMNS} FROM tool_revisions r
         LEFT JOIN tool_publications p ON p.tool_id = r.tool_id AND p.revision = r.number
         LEFT JOIN log_entries e ON e.queue_id = p.queue_id
        WHERE r.tool_id = $1 AND r.status = 'published' ORDER BY r.number`,
      [id],
    );
    return rows.map(publicRevision);
  }

  async agency(id: string): Promise<{ agency: PublicAgency; tools: PublicToolSummary[]; nonPublicTools: number } | undefined> {
    const [agency] = await this.dataSource.query<PublicAgency[]>('SELECT id, name, country, kind FROM agencies WHERE id = $1', [id]);
    if (!agency) return undefined;
    const rows = await this.dataSource.query<SearchRow[]>(`SELECT ${SUMMARY_COLUMNS} FROM public_search s WHERE s.agency_id = $1 ORDER BY s.reference`, [id]);
    const [{ hidden }] = await this.dataSource.query<Array<{ hidden: number }>>(
      'SELECT count(*)::int AS hidden FROM tools WHERE agency_id = $1 AND non_public AND published_revision IS NOT NULL',
      [id],
    );
    return { agency, tools: rows.map(summary), nonPublicTools: hidden };
  }

  /** The agencies and countries that have published tools, for the search filters. */
  async facets(): Promise<{ agencies: PublicAgency[]; countries: string[] }> {
    const agencies = await this.dataSource.query<PublicAgency[]>(
      'SELECT a.id, a.name, a.country, a.kind FROM agencies a WHERE EXISTS (SELECT 1 FROM public_search s WHERE s.agency_id = a.id) ORDER BY a.name',
    );
    return { agencies, countries: [...new Set(agencies.map((a) => a.country))].sort() };
  }

  async stats(): Promise<PublicStats> {
    const rows = await this.dataSource.query<Array<{ country: string; kind: string; risk: string; lifecycle: string; non_public: boolean; n: number }>>(
      `SELECT a.country, a.kind, r.risk_class AS risk, r.lifecycle,
              t.non_public, count(*)::int AS n
         FROM tools t JOIN agencies a ON a.id = t.agency_id JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision
        GROUP BY 1, 2, 3, 4, 5`,
    );
    const [{ agencies }] = await this.dataSource.query<Array<{ agencies: number }>>(
      'SELECT count(DISTINCT agency_id)::int AS agencies FROM tools WHERE published_revision IS NOT NULL',
    );
    const years = await this.dataSource.query<Array<{ year: number; status: string; n: number }>>(
      `SELECT extract(year FROM coalesce((content ->> 'decidedOn')::date, created_at))::int AS year, status, count(*)::int AS n
         FROM authorisations GROUP BY 1, 2 ORDER BY 1`,
    );
    const count = (pick: (row: (typeof rows)[number]) => string): Count[] => {
      const counts = new Map<string, Count>();
      for (const row of rows) {
        const value = pick(row);
        const entry = counts.get(value) ?? { value, public: 0, nonPublic: 0 };
        if (row.non_public) entry.nonPublic += row.n;
        else entry.public += row.n;
        counts.set(value, entry);
      }
      return [...counts.values()].sort((a, b) => b.public + b.nonPublic - (a.public + a.nonPublic) || a.value.localeCompare(b.value));
    };
    const byYear = new Map<number, PublicStats['authorisationsByYear'][number]>();
    for (const { year, status, n } of years) {
      const entry = byYear.get(year) ?? { year, granted: 0, refused: 0, revoked: 0, expired: 0, pending: 0 };
      entry[status as 'granted'] += n;
      byYear.set(year, entry);
    }
    const byCountry = count((r) => r.country);
    const figures = await this.dataSource.query<Array<{ country: string; year: number; kind: keyof Omit<AuthorisationFigures, 'country' | 'year'>; n: number }>>(
      `WITH a AS (
         SELECT g.country, a.content ->> 'requestedOn' AS requested_on, a.content ->> 'decidedOn' AS decided_on,
                a.content ->> 'outcome' AS outcome, a.status, a.status_changed_at
           FROM authorisations a JOIN tools t ON t.id = a.tool_id JOIN agencies g ON g.id = t.agency_id)
       SELECT country, year, kind, count(*)::int AS n FROM (
         SELECT country, extract(year FROM requested_on::date)::int AS year, 'requested' AS kind FROM a
         UNION ALL SELECT country, extract(year FROM decided_on::date)::int, outcome FROM a WHERE outcome IN ('granted', 'refused') AND decided_on IS NOT NULL
         UNION ALL SELECT country, extract(year FROM status_changed_at)::int, 'revoked' FROM a WHERE status = 'revoked'
       ) x GROUP BY 1, 2, 3`,
    );
    const byCountryAndYear = new Map<string, AuthorisationFigures>();
    for (const { country, year, kind, n } of figures) {
      const key = `${year} ${country}`;
      const entry = byCountryAndYear.get(key) ?? { country, year, requested: 0, granted: 0, refused: 0, revoked: 0 };
      entry[kind] += n;
      byCountryAndYear.set(key, entry);
    }
    return {
      tools: {
        public: rows.filter((r) => !r.non_public).reduce((sum, r) => sum + r.n, 0),
        nonPublic: rows.filter((r) => r.non_public).reduce((sum, r) => sum + r.n, 0),
      },
      agencies,
      countries: byCountry.length,
      byCountry,
      byAgencyKind: count((r) => r.kind),
      byRiskClass: count((r) => r.risk),
      byLifecycle: count((r) => r.lifecycle),
      authorisationsByYear: [...byYear.values()],
      authorisationsByCountryAndYear: [...byCountryAndYear.values()].sort((a, b) => b.year - a.year || a.country.localeCompare(b.country)),
    };
  }

  /** Every public tool with its whole published history, for the open-data exports. */
  async export(): Promise<Array<PublicTool & { revisions: PublicRevision[] }>> {
    const rows = await this.dataSource.query<ToolRow[]>(`SELECT ${TOOL_COLUMNS} ${PUBLISHED} ORDER BY t.reference`);
    const ids = rows.map((r) => r.id);
    const records = await this.records(ids);
    const revisions = await this.dataSource.query<Array<PublishedRevisionRow & { tool_id: string }>>(
      `SELECT ${REVISION_COLUMNS} FROM tool_revisions r
         LEFT JOIN tool_publications p ON p.tool_id = r.tool_id AND p.revision = r.number
         LEFT JOIN log_entries e ON e.queue_id = p.queue_id
        WHERE r.tool_id = ANY($1::uuid[]) AND r.status = 'published' ORDER BY r.tool_id, r.number`,
      [ids],
    );
    const history = groupBy(revisions, (r) => r.tool_id);
    return rows.map((row) => ({ ...toolOf(row, records), revisions: (history.get(row.id) ?? []).map(publicRevision) }));
  }

  private async records(toolIds: string[]): Promise<ToolRecords> {
    const [authorisations, assessments, findings, reports, incidents] = await Promise.all([
      this.dataSource.query<Array<{ id: string; tool_id: string; status: string; status_changed_at: Date; content: unknown }>>(
        'SELECT id, tool_id, status, status_changed_at, content FROM authorisations WHERE tool_id = ANY($1::uuid[]) ORDER BY created_at',
        [toolIds],
      ),
      this.dataSource.query<Array<{ id: string; tool_id: string; kind: AssessmentKind; content: unknown; created_at: Date; current: boolean }>>(
        `SELECT a.id, a.tool_id, a.kind, a.content, a.created_at, NOT EXISTS (SELECT 1 FROM assessments n WHERE n.supersedes = a.id) AS current
           FROM assessments a WHERE a.tool_id = ANY($1::uuid[]) ORDER BY a.kind, a.created_at`,
        [toolIds],
      ),
      this.dataSource.query<Array<{ id: string; tool_id: string; severity: string; status: string; opened_at: Date; closed_at: Date | null }>>(
        'SELECT id, tool_id, severity, status, opened_at, closed_at FROM findings WHERE tool_id = ANY($1::uuid[]) ORDER BY opened_at',
        [toolIds],
      ),
      this.dataSource.query<Array<{ tool_id: string; status: 'received' | 'answered' | 'dismissed'; n: number }>>(
        'SELECT tool_id, status, count(*)::int AS n FROM public_reports WHERE tool_id = ANY($1::uuid[]) GROUP BY 1, 2',
        [toolIds],
      ),
      this.dataSource.query<Array<{ id: string; tool_id: string; version: number; content: Record<string, unknown>; created_at: Date }>>(
        `SELECT i.id, i.tool_id, v.version, v.content, i.created_at FROM incidents i
           JOIN incident_versions v ON v.incident_id = i.id AND v.version = i.latest_version
          WHERE i.tool_id = ANY($1::uuid[]) ORDER BY i.created_at`,
        [toolIds],
      ),
    ]);
    const reportCounts = new Map<string, PublicTool['reports']>();
    for (const { tool_id, status, n } of reports) {
      const counts = reportCounts.get(tool_id) ?? { received: 0, answered: 0, dismissed: 0 };
      counts.received += n;
      if (status !== 'received') counts[status] += n;
      reportCounts.set(tool_id, counts);
    }
    return {
      authorisations: groupBy(authorisations.map((r) => ({ toolId: r.tool_id, view: publicAuthorisation(r) })), (r) => r.toolId),
      assessments: groupBy(assessments.map((r) => ({ toolId: r.tool_id, view: publicAssessment(r) })), (r) => r.toolId),
      findings: groupBy(findings.map((r) => ({ toolId: r.tool_id, view: publicFinding(r) })), (r) => r.toolId),
      reports: reportCounts,
      incidents: groupBy(incidents.map((r) => ({ toolId: r.tool_id, view: publicIncident(r) })), (r) => r.toolId),
    };
  }
}

interface ToolRecords {
  authorisations: Map<string, Array<{ view: PublicAuthorisation }>>;
  assessments: Map<string, Array<{ view: PublicAssessment }>>;
  findings: Map<string, Array<{ view: PublicFinding }>>;
  reports: Map<string, PublicTool['reports']>;
  incidents: Map<string, Array<{ view: PublicIncident }>>;
}

function toolOf(row: ToolRow, records: ToolRecords): PublicTool {
  return {
    id: row.id,
    reference: row.reference,
    agency: agencyOf(row),
    ...publicRevision(row),
    publishedRevisions: row.published_revisions,
    authorisations: (records.authorisations.get(row.id) ?? []).map((r) => r.view),
    assessments: (records.assessments.get(row.id) ?? []).map((r) => r.view),
    findings: (records.findings.get(row.id) ?? []).map((r) => r.view),
    reports: records.reports.get(row.id) ?? { received: 0, answered: 0, dismissed: 0 },
    incidents: (records.incidents.get(row.id) ?? []).map((r) => r.view),
  };
}

function agencyOf(row: ToolRow): PublicAgency {
  return { id: row.agency_id, name: row.agency_name, country: row.agency_country, kind: row.agency_kind };
}

function summary(row: SearchRow): PublicToolSummary {
  return {
    id: row.tool_id,
    reference: row.reference,
    name: row.name,
    shortDescription: row.short_description,
    language: row.language,
    agency: { id: row.agency_id, name: row.agency_name, country: row.country, kind: row.agency_kind },
    riskClass: row.risk_class,
    annexIIIPoint: row.annex_iii_point,
    lifecycle: row.lifecycle,
    crimeAreas: row.crime_areas,
    revision: row.revision,
    publishedAt: row.published_at.toISOString(),
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** An incident as the public sees it: the schema's public fields of its latest version. */
function publicIncident(row: { id: string; version: number; content: Record<string, unknown>; created_at: Date }): PublicIncident {
  const deadline = incidentDeadline(row.content, new Date().toISOString().slice(0, 10));
  return {
    id: row.id,
    version: row.version,
    recordedAt: row.created_at.toISOString(),
    content: projectContent(row.content, ['public'], INCIDENT_SCHEMA as Parameters<typeof projectContent>[2]) as Record<string, unknown>,
    dueOn: deadline?.dueOn ?? null,
    notifiedLate: deadline?.late ?? false,
  };
}
