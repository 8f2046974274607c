import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public view (CONTRACT.md "Public view"): which log entry published each revision, so that
 * every published revision can show `log: {index, leafHash}` and its inclusion proof, and the
 * indexes the public search and statistics read.
 */
export class PublicView1764100000000 implements MigrationInterface {
  name = 'PublicView1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Written in the transaction that publishes the revision, after its log entry is queued.
    await q.query(`
      CREATE TABLE tool_publications (
        tool_id uuid NOT NULL,
        revision integer NOT NULL,
        queue_id bigint NOT NULL UNIQUE,
        PRIMARY KEY (tool_id, revision),
        FOREIGN KEY (tool_id, revision) REFERENCES tool_revisions (tool_id, number)
      )`);
    // Revisions published before this table existed: their publish entry is in the queue.
    await q.query(`
      INSERT INTO tool_publications (tool_id, revision, queue_id)
      SELECT DISTINCT ON (subject_id, (convert_from(entry, 'UTF8')::jsonb #>> '{subject,revision}')::integer)
             subject_id, (convert_from(entry, 'UTF8')::jsonb #>> '{subject,revision}')::integer, id
        FROM log_queue
       WHERE subject_type = 'tool' AND convert_from(entry, 'UTF8')::jsonb ->> 'action' = 'tool.publish'
       ORDER BY subject_id, (convert_from(entry, 'UTF8')::jsonb #>> '{subject,revision}')::integer, id`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tool_publication_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a publication is never changed' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER tool_publications_immutable BEFORE UPDATE OR DELETE ON tool_publications
      FOR EACH ROW EXECUTE FUNCTION tool_publication_immutable()`);
    // The public list: published, public tools in reference order.
    await q.query('CREATE INDEX tools_public_idx ON tools (reference) WHERE published_revision IS NOT NULL AND NOT non_public');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tools_public_idx');
    await q.query('DROP TABLE tool_publications');
    await q.query('DROP FUNCTION tool_publication_immutable()');
  }
}
