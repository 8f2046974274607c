import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serious incidents on tools (AI Act Art. 73; docs/declarations.md "Serious incidents"): an
 * incident and its numbered versions, each version immutable (the log tables' trigger refuses
 * changing or deleting one), as a tool's revisions are.
 */
export class Incidents1764700000000 implements MigrationInterface {
  name = 'Incidents1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool_id uuid NOT NULL REFERENCES tools (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        latest_version integer NOT NULL DEFAULT 1 CHECK (latest_version > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX incidents_tool_idx ON incidents (tool_id, created_at)');
    await q.query('CREATE INDEX incidents_agency_idx ON incidents (agency_id, created_at)');
    await q.query(`
      CREATE TABLE incident_versions (
        incident_id uuid NOT NULL REFERENCES incidents (id),
        version integer NOT NULL CHECK (version > 0),
        content jsonb NOT NULL,
        author_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, version)
      )`);
    await q.query(`CREATE TRIGGER incident_versions_no_update_delete BEFORE UPDATE OR DELETE ON incident_versions
      FOR EACH ROW EXECUTE FUNCTION log_reject_change()`);
    await q.query('ALTER TABLE incident_versions ENABLE ALWAYS TRIGGER incident_versions_no_update_delete');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE incident_versions');
    await q.query('DROP TABLE incidents');
  }
}
