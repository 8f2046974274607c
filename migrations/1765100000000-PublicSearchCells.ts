import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns a public filter tests, in the order of the cells' key. */
const KEY = ['agency_id', 'country', 'agency_kind', 'risk_class', 'annex_iii_point', 'lifecycle', 'crime_areas'] as const;

/** Held by a transaction from its first change of `public_search` to its end ("custodia" + 3). */
const CELLS_LOCK = '7166761325952264547';

/**
 * How many public tools there are for each combination of the values the public filters on:
 * the facet counts of a search without words add these up instead of reading every match
 * (at 100,000 tools the counts of the whole registry read 100,000 rows, 320 ms; the bench's
 * tools make about 10,000 combinations). Kept by a trigger on `public_search`, in the
 * transaction that changes it; a tool with no Annex III point has '' there (the key has no NULL).
 *
 * Transactions that change `public_search` keep the counts one after another: each takes a
 * transaction advisory lock before it touches a row of `public_search` (a statement trigger,
 * BEFORE). Without it, two publications moving tools between the same two combinations in
 * opposite directions each locked one count and waited for the other's, and two taking the last
 * tools out of a combination both found it still had two (the bench's writers hit that in
 * seconds: a 500). The rows of `public_search` change in deferred triggers at commit, so the
 * lock is held for the end of a commit only.
 */
export class PublicSearchCells1765100000000 implements MigrationInterface {
  name = 'PublicSearchCells1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE public_search_cells (
        agency_id uuid NOT NULL,
        country text NOT NULL,
        agency_kind text NOT NULL,
        risk_class text NOT NULL,
        annex_iii_point text NOT NULL,
        lifecycle text NOT NULL,
        crime_areas text[] NOT NULL,
        tools integer NOT NULL CHECK (tools > 0),
        CONSTRAINT public_search_cells_key UNIQUE (${KEY.join(', ')})
      )`);
    const values = (row: 'OLD' | 'NEW') => KEY.map((c) => (c === 'annex_iii_point' ? `coalesce(${row}.${c}, '')` : `${row}.${c}`)).join(', ');
    await q.query(`
      CREATE FUNCTION public_search_cells_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          DELETE FROM public_search_cells c WHERE (${KEY.map((k) => `c.${k}`).join(', ')}) = (${values('OLD')}) AND c.tools = 1;
          IF NOT FOUND THEN
            UPDATE public_search_cells c SET tools = c.tools - 1 WHERE (${KEY.map((k) => `c.${k}`).join(', ')}) = (${values('OLD')});
          END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO public_search_cells AS c (${KEY.join(', ')}, tools) VALUES (${values('NEW')}, 1)
            ON CONFLICT ON CONSTRAINT public_search_cells_key DO UPDATE SET tools = c.tools + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION public_search_cells_lock() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${CELLS_LOCK});
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER public_search_cells_lock BEFORE INSERT OR DELETE OR UPDATE ON public_search
        FOR EACH STATEMENT EXECUTE FUNCTION public_search_cells_lock()`);
    await q.query(`
      CREATE TRIGGER public_search_cells AFTER INSERT OR DELETE OR UPDATE OF ${KEY.join(', ')} ON public_search
        FOR EACH ROW EXECUTE FUNCTION public_search_cells_count()`);
    await q.query(`
      INSERT INTO public_search_cells (${KEY.join(', ')}, tools)
      SELECT ${KEY.map((c) => (c === 'annex_iii_point' ? `coalesce(${c}, '')` : c)).join(', ')}, count(*) FROM public_search GROUP BY ${KEY.map((_, k) => k + 1).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER public_search_cells ON public_search');
    await q.query('DROP TRIGGER public_search_cells_lock ON public_search');
    await q.query('DROP FUNCTION public_search_cells_count()');
    await q.query('DROP FUNCTION public_search_cells_lock()');
    await q.query('DROP TABLE public_search_cells');
  }
}
