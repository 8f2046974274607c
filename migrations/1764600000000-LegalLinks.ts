import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last check of each legal-basis link of each published tool (docs/declarations.md "Legal
 * links that go stale"): when, what it answered, and since when it has been broken. Each run of
 * the checker is one log entry, in the transaction that stores its results.
 */
export class LegalLinks1764600000000 implements MigrationInterface {
  name = 'LegalLinks1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_link_checks (
        tool_id uuid NOT NULL REFERENCES tools (id),
        url text NOT NULL,
        checked_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'broken', 'unreachable')),
        status integer,
        final_url text,
        detail text,
        broken_since timestamptz,
        PRIMARY KEY (tool_id, url)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE legal_link_checks');
  }
}
