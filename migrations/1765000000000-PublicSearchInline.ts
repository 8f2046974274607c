import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns of public_search the list filters on, besides those kept inline already. */
const FILTERED = ['country', 'agency_kind', 'risk_class', 'annex_iii_point', 'lifecycle', 'language', 'crime_areas'] as const;

/**
 * The filtered columns of `public_search` inline in its rows, and the dead `search_text` of
 * tool_revisions gone.
 *
 * With the table's toast_tuple_target of 128, PostgreSQL moved any value longer than a TOAST
 * pointer out of line, so the crime areas of every row were in the TOAST table: a filter on a
 * crime area fetched two more pages a row it looked at (at 100,000 tools, counting the matches
 * of one crime area read 39,000 buffers in 32 ms; inline, 1,000 in 9 ms). STORAGE MAIN keeps
 * them in the row unless the row could not fit a page otherwise. A changed STORAGE applies to
 * values written after it, so each row's filtered values are written again.
 *
 * `tool_revisions.search_text` (migration 1764200000000) is read by nothing since the public
 * search has its own table, and was computed for every revision written.
 */
export class PublicSearchInline1765000000000 implements MigrationInterface {
  name = 'PublicSearchInline1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const column of FILTERED) await q.query(`ALTER TABLE public_search ALTER COLUMN ${column} SET STORAGE MAIN`);
    // Expressions give new values (an unchanged column would keep its TOAST pointer).
    await q.query(`UPDATE public_search SET crime_areas = crime_areas || '{}'::text[], risk_class = risk_class || '', annex_iii_point = annex_iii_point || '',
      lifecycle = lifecycle || '', agency_kind = agency_kind || '', country = country || '', language = language || ''`);
    await q.query('ALTER TABLE tool_revisions DROP COLUMN search_text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tool_revisions ADD COLUMN search_text text GENERATED ALWAYS AS (
        coalesce(content #>> '{identity,name}', '') || E'\\n' || coalesce(content #>> '{identity,shortDescription}', '') || E'\\n' ||
        coalesce(content #>> '{identity,intendedPurpose}', '') || E'\\n' || coalesce(content #>> '{identity,provider,name}', '')
      ) STORED`);
    for (const column of FILTERED) await q.query(`ALTER TABLE public_search ALTER COLUMN ${column} SET STORAGE EXTENDED`);
  }
}
