import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports from the public that a declaration seems wrong or incomplete (docs/declarations.md
 * "Public error reports"). The text is seen by the tool's agency and the oversight body, never
 * by the public, which sees only counts; the optional contact address only by the oversight
 * body, and it is never written to the log (whose entry holds a digest of the text alone).
 */
export class PublicReports1764500000000 implements MigrationInterface {
  name = 'PublicReports1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE public_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool_id uuid NOT NULL REFERENCES tools (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        contact text CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 320),
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'answered', 'dismissed')),
        reply text CHECK (reply IS NULL OR length(reply) BETWEEN 1 AND 4000),
        replied_by text,
        replied_at timestamptz,
        received_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'received') = (reply IS NULL))
      )`);
    await q.query('CREATE INDEX public_reports_tool_idx ON public_reports (tool_id, status)');
    await q.query('CREATE INDEX public_reports_agency_idx ON public_reports (agency_id, received_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE public_reports');
  }
}
