import { LANGUAGE_CONFIGS } from '../../../../migrations/1764900000000-FullTextSearch.js';
import type { PublicToolFilter } from './api/public-tools.query.js';

/**
 * The public search over `public_search` (migrations/1764900000000-FullTextSearch.ts,
 * docs/search.md): filters on its indexed columns; `q` in websearch_to_tsquery syntax, ranked.
 *
 * A query is read in every language a declaration can be indexed in (a reader does not say
 * which language they type in), so that "reconocimiento" finds the Spanish stem and "faces" the
 * English one. When no tool matches all its words, the tools matching any of them are shown,
 * ranked by how well they match; when none matches any, tools whose names are similar
 * (trigrams: misspellings, partial names). Matches are ranked on the names, short description
 * and purpose (`head`); a match in the rest of the text alone comes after them. Past TOTAL_BOUND
 * matches, the first TOTAL_BOUND + 1 found are ranked: ranking them all read every match's row
 * (2.5 s a query under load at 100,000 tools, for a word in a twelfth of them).
 */

/** Totals are exact up to this many; past it the API says "more than" (`totalExact: false`). */
export const TOTAL_BOUND = 1000;

/** How similar (pg_trgm word_similarity) a word must be to one of a tool's names' words. */
export const SIMILARITY = 0.5;

/**
 * What a search with text sets for its queries. The text's index, never a scan of the table:
 * the planner does not count what reading each row's `document` costs (it is stored out of
 * line), so for a word in a twelfth of the tools it chose to scan rows until 1,001 matched, 12,000
 * documents read and decompressed (32 ms), where the index's bitmap takes 6 ms
 * (bench/RESULTS.md). Every other filter has an index of its own, so nothing is left without one.
 */
function textSettings(match: TextMatch): Record<string, string> {
  return { enable_seqscan: 'off', ...(match === 'similar' ? { 'pg_trgm.word_similarity_threshold': String(SIMILARITY) } : {}) };
}

/** How the words of `q` matched: all of them, some of them, or only similar names. */
export type TextMatch = 'all' | 'any' | 'similar';

/**
 * The configurations a declaration can be indexed in, of those the migration made on this
 * database (custodia_<language>: its stemmer after unaccent).
 */
export function searchConfigs(shipped: readonly string[]): string[] {
  const available = new Set(shipped);
  return ['simple', ...new Set(Object.values(LANGUAGE_CONFIGS))]
    .map((config) => `custodia_${config}`)
    .filter((config) => available.has(config))
    .sort();
}

/**
 * The words of a search as every configuration reads them, each reading once: a query with the
 * same lexeme 27 times over was estimated to match a third of the tools, and planned as a scan
 * of all of them (552 ms at 100,000 tools for a word none has). `$1` the texts, `$2` the
 * configurations; one row per text with its tsquery (empty when it has no lexeme).
 */
export const READ_QUERIES = `
  SELECT x.input, coalesce(string_agg(DISTINCT '(' || y.q || ')', ' | '), '') AS query
    FROM unnest($1::text[]) AS x(input)
    LEFT JOIN LATERAL (SELECT websearch_to_tsquery(cfg::regconfig, x.input)::text AS q FROM unnest($2::text[]) cfg) y ON y.q <> ''
   GROUP BY x.input`;

/**
 * A where clause on `public_search s` and, with text, its order (best first) and how the text
 * matched. `text` is the text's condition alone and `filters` each other filter's, for the facet
 * counts.
 */
export interface SearchSql {
  where: string;
  params: unknown[];
  /** How well a tool matches, higher first; what it adds to the page query's parameters it adds with `param`. */
  score?: (param: (value: unknown) => string) => string;
  /** Settings its queries need (SET LOCAL, in a transaction of their own). */
  settings?: Record<string, string>;
  match?: TextMatch;
  text?: string;
  filters: Partial<Record<keyof PublicToolFilter, string>>;
}

/** The facets counted for a result set, and the column each is on. */
export const FACET_COLUMNS = { country: 'country', agencyKind: 'agency_kind', riskClass: 'risk_class', lifecycle: 'lifecycle', crimeArea: 'crime_areas' } as const;
export type Facet = keyof typeof FACET_COLUMNS;

/** The condition of each filter other than text, on indexed columns, by filter name. */
export function filterConditions(filter: PublicToolFilter, params: unknown[]): Partial<Record<keyof PublicToolFilter, string>> {
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: Partial<Record<keyof PublicToolFilter, string>> = {};
  if (filter.country) where.country = `s.country = ${param(filter.country)}`;
  if (filter.agencyId) where.agencyId = `s.agency_id = ${param(filter.agencyId)}`;
  if (filter.agencyKind) where.agencyKind = `s.agency_kind = ${param(filter.agencyKind)}`;
  if (filter.riskClass) where.riskClass = `s.risk_class = ${param(filter.riskClass)}`;
  if (filter.annexIII) where.annexIII = `s.annex_iii_point = ${param(filter.annexIII)}`;
  if (filter.lifecycle) where.lifecycle = `s.lifecycle = ${param(filter.lifecycle)}`;
  if (filter.crimeArea) where.crimeArea = `s.crime_areas @> ARRAY[${param(filter.crimeArea)}]::text[]`;
  return where;
}

/** Conditions joined by AND (true when there are none). */
export const allOf = (conditions: Array<string | undefined>): string => conditions.filter(Boolean).join(' AND ') || 'true';

/**
 * The words of a websearch query: those it asks for, those it excludes (`-word`, `-"a phrase"`),
 * and the query without its exclusions.
 */
export function queryWords(q: string): { wanted: string[]; excluded: string[]; asked: string } {
  const wanted: string[] = [];
  const excluded: string[] = [];
  const asked: string[] = [];
  for (const [token, negated, quoted, bare] of q.matchAll(/(-?)(?:"([^"]*)"?|(\S+))/g)) {
    const words = (quoted ?? bare ?? '').split(/[\s"]+/).filter((w) => w && w !== '-');
    if (!negated) asked.push(token);
    if (!quoted && words.length === 1 && words[0]!.toLowerCase() === 'or') continue;
    (negated ? excluded : wanted).push(...words);
  }
  return { wanted, excluded, asked: asked.join(' ') };
}

/** The texts of `q` that searchVariants needs read (READ_QUERIES) into tsqueries. */
export function textsToRead(filter: PublicToolFilter): string[] {
  const { wanted, excluded, asked } = queryWords(filter.q?.trim() ?? '');
  return wanted.length === 0 ? [] : [asked, wanted.join(' or '), excluded.join(' or ')].filter(Boolean);
}

/**
 * The ways `q` can match, strictest first (all its words, any of them, similar names); the
 * caller takes the first that finds a tool. Without words there is nothing to rank: the filters
 * alone. `read`: a text of textsToRead as a tsquery's text.
 */
export function searchVariants(filter: PublicToolFilter, read: (text: string) => string): SearchSql[] {
  const { wanted, excluded, asked } = queryWords(filter.q?.trim() ?? '');
  type Param = (value: unknown) => string;
  const variant = (text?: (param: Param) => { condition: string; score: (param: Param) => string; match: TextMatch }): SearchSql => {
    const params: unknown[] = [];
    const filters = filterConditions(filter, params);
    const param = (value: unknown) => `$${params.push(value)}`;
    const matched = text?.(param);
    return {
      where: allOf([...Object.values(filters), matched?.condition]),
      params,
      filters,
      ...(matched ? { text: matched.condition, score: matched.score, match: matched.match } : {}),
      ...(matched ? { settings: textSettings(matched.match) } : {}),
    };
  };
  if (wanted.length === 0) return [variant()];
  // Excluded: a tool with the word in any of the languages, each as its own stemmer reads it.
  const tsquery = (param: Param, text: string) => `${param(read(text))}::tsquery`;
  const without = (param: Param) => (excluded.length > 0 ? ` AND NOT s.document @@ ${tsquery(param, excluded.join(' or '))}` : '');
  const variants = [
    variant((param) => {
      const query = tsquery(param, asked);
      return { condition: `(s.document @@ ${query}${without(param)})`, score: () => `ts_rank(s.head, ${query})`, match: 'all' };
    }),
  ];
  if (wanted.length > 1) {
    variants.push(variant((param) => {
      const query = tsquery(param, wanted.join(' or '));
      return { condition: `(s.document @@ ${query}${without(param)})`, score: () => `ts_rank(s.head, ${query})`, match: 'any' };
    }));
  }
  // Each word similar to a word of the names (pg_trgm word_similarity ≥ 0.5, through the trigram
  // index: the operator's default threshold, 0.6, missed a letter left out of an eight-letter
  // word), the most similar first.
  variants.push(variant((param) => {
    const words = wanted.slice(0, 8).map((word) => param(word));
    return {
      condition: `(${words.map((w) => `${w} <% s.names`).join(' AND ')}${without(param)})`,
      score: () => `(${words.map((w) => `word_similarity(${w}, s.names)`).join(' + ')})`,
      match: 'similar',
    };
  }));
  return variants;
}
