import { stringify } from 'csv-stringify/sync';
import type { PublicRevision } from './public-projection.js';
import type { AuthorisationFigures, PublicTool } from './public-tools.service.js';

export type ExportedTool = PublicTool & { revisions: PublicRevision[] };

/**
 * The columns of `export.csv`, one row per public tool (its latest published revision). Names
 * are stable: new columns are only ever added at the end. docs/open-data.md describes each.
 */
export const CSV_COLUMNS: Array<[string, (tool: ExportedTool) => unknown]> = [
  ['id', (t) => t.id],
  ['reference', (t) => t.reference],
  ['agency_id', (t) => t.agency.id],
  ['agency_name', (t) => t.agency.name],
  ['agency_country', (t) => t.agency.country],
  ['agency_kind', (t) => t.agency.kind],
  ['language', (t) => t.language],
  ['name', (t) => field(t, 'identity', 'name')],
  ['short_description', (t) => field(t, 'identity', 'shortDescription')],
  ['intended_purpose', (t) => field(t, 'identity', 'intendedPurpose')],
  ['provider_name', (t) => field(t, 'identity', 'provider', 'name')],
  ['provider_country', (t) => field(t, 'identity', 'provider', 'country')],
  ['risk_class', (t) => field(t, 'classification', 'riskClass')],
  ['annex_iii_point', (t) => field(t, 'classification', 'annexIIIPoint')],
  ['lifecycle', (t) => field(t, 'identity', 'lifecycle', 'status')],
  ['crime_areas', (t) => list(field(t, 'identity', 'crimeAreas'))],
  ['countries_of_use', (t) => list(field(t, 'identity', 'countriesOfUse'))],
  ['legal_basis', (t) => ((field(t, 'legalBasis') as Array<Record<string, string>> | undefined) ?? []).map((b) => [b.jurisdiction, b.instrument, b.article].filter(Boolean).join(' ')).join(' | ')],
  ['redacted_fields', (t) => t.redactions.map((r) => r.field).join(';')],
  ['authorisations_granted', (t) => t.authorisations.filter((a) => a.status === 'granted').length],
  ['assessments', (t) => [...new Set(t.assessments.filter((a) => a.current).map((a) => a.kind))].join(';')],
  ['findings_open', (t) => t.findings.filter((f) => f.status !== 'closed').length],
  ['revision', (t) => t.revision],
  ['published_revisions', (t) => t.publishedRevisions],
  ['first_published_at', (t) => t.revisions[0]?.publishedAt ?? t.publishedAt],
  ['published_at', (t) => t.publishedAt],
  ['public_content_hash', (t) => t.publicContentHash],
  ['log_index', (t) => t.log?.index],
  ['log_leaf_hash', (t) => t.log?.leafHash],
];

/** RFC 4180 CSV, UTF-8 with a byte-order mark so that spreadsheets read the accents right; a cell with a line break is quoted (csv-stringify would only quote CRLF). */
export function toCsv(tools: ExportedTool[]): string {
  const rows = tools.map((tool) => CSV_COLUMNS.map(([, value]) => cell(value(tool))));
  return '\uFEFF' + stringify([CSV_COLUMNS.map(([name]) => name), ...rows], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

// A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(tool: ExportedTool, ...path: string[]): unknown {
  let node: unknown = tool.content;
  for (const step of path) node = (node as Record<string, unknown> | undefined)?.[step];
  return node;
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.join(';') : '';
}

/** export.authorisations.csv: the AI Act Art. 5(6) figures, one row per country and year. */
export function authorisationFiguresCsv(figures: AuthorisationFigures[]): string {
  return stringify(figures.map((f) => [f.year, f.country, f.requested, f.granted, f.refused, f.revoked]), {
    header: true,
    columns: ['year', 'country', 'requested', 'granted', 'refused', 'revoked'],
  });
}
