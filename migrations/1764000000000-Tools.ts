import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tool declarations (PRODUCT.md "The declaration"): a tool belongs to one agency and has
 * numbered, immutable revisions; at most one is open (draft or submitted) at a time.
 */
export class Tools1764000000000 implements MigrationInterface {
  name = 'Tools1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // Human-readable references (CR-POL-0007): one counter per country and agency kind.
    await q.query(`
      CREATE TABLE reference_counters (
        prefix text PRIMARY KEY,
        last integer NOT NULL CHECK (last > 0)
      )`);
    await q.query(`
      CREATE TABLE tools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        reference text NOT NULL UNIQUE,
        non_public boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        latest_revision integer NOT NULL DEFAULT 1,
        published_revision integer,
        -- Redactions of restricted fields, applied to the next published revision.
        redactions jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX tools_agency_idx ON tools (agency_id, created_at, id)');
    await q.query(`
      CREATE TABLE tool_revisions (
        tool_id uuid NOT NULL REFERENCES tools (id),
        number integer NOT NULL CHECK (number > 0),
        status text NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'rejected')),
        content jsonb NOT NULL,
        author_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        decided_at timestamptz,
        decided_by text,
        decision_reason text,
        -- The redactions in force when the revision was published (null before).
        redactions jsonb,
        PRIMARY KEY (tool_id, number)
      )`);
    // At most one open revision per tool.
    await q.query(`CREATE UNIQUE INDEX tool_revisions_one_open ON tool_revisions (tool_id) WHERE status IN ('draft', 'submitted')`);
    // A decided revision never changes again.
    await q.query(`
      CREATE FUNCTION tool_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status IN ('published', 'rejected') THEN
          RAISE EXCEPTION 'revision % of tool % is %, and cannot change', OLD.number, OLD.tool_id, OLD.status
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER tool_revisions_immutable BEFORE UPDATE OR DELETE ON tool_revisions
      FOR EACH ROW EXECUTE FUNCTION tool_revision_immutable()`);

    // Assessments are never edited: a newer one of the same kind supersedes the previous.
    await q.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool_id uuid NOT NULL REFERENCES tools (id),
        kind text NOT NULL CHECK (kind IN ('fria', 'bias', 'gender_impact', 'huderia', 'dpia')),
        content jsonb NOT NULL,
        author_id text NOT NULL,
        supersedes uuid REFERENCES assessments (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX assessments_tool_kind_idx ON assessments (tool_id, kind, created_at)');
    await q.query('CREATE UNIQUE INDEX assessments_superseded_once ON assessments (supersedes)');
    await q.query(`
      CREATE FUNCTION assessment_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'assessments are never edited: record a new one instead' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER assessments_immutable BEFORE UPDATE OR DELETE ON assessments
      FOR EACH ROW EXECUTE FUNCTION assessment_immutable()`);

    // Judicial or independent administrative authorisations (AI Act Art. 5(2)–(7)). The content
    // never changes; only the status moves: granted → revoked or expired.
    await q.query(`
      CREATE TABLE authorisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool_id uuid NOT NULL REFERENCES tools (id),
        content jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'granted', 'refused', 'revoked', 'expired')),
        valid_from date,
        valid_until date,
        author_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        revocation_reason text,
        CHECK (status NOT IN ('granted', 'revoked', 'expired') OR (valid_from IS NOT NULL AND valid_until IS NOT NULL AND valid_from <= valid_until))
      )`);
    await q.query('CREATE INDEX authorisations_tool_idx ON authorisations (tool_id, created_at)');
    await q.query(`CREATE INDEX authorisations_granted_until_idx ON authorisations (valid_until) WHERE status = 'granted'`);

    // Alerts raised for the oversight body by scheduled checks; each is raised once per subject.
    await q.query(`
      CREATE TABLE oversight_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        tool_id uuid NOT NULL REFERENCES tools (id),
        subject_id uuid NOT NULL,
        details jsonb NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, subject_id)
      )`);

    // Oversight findings: opened by the oversight body, answered by the agency, closed by oversight.
    await q.query(`
      CREATE TABLE findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool_id uuid NOT NULL REFERENCES tools (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        title text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
        opened_by text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_by text,
        closed_at timestamptz,
        closing_note text
      )`);
    await q.query('CREATE INDEX findings_agency_status_idx ON findings (agency_id, status, opened_at)');
    await q.query(`
      CREATE TABLE finding_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        finding_id uuid NOT NULL REFERENCES findings (id),
        author_id text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX finding_responses_finding_idx ON finding_responses (finding_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE finding_responses');
    await q.query('DROP TABLE findings');
    await q.query('DROP TABLE oversight_alerts');
    await q.query('DROP TABLE authorisations');
    await q.query('DROP TABLE assessments');
    await q.query('DROP FUNCTION assessment_immutable()');
    await q.query('DROP TABLE tool_revisions');
    await q.query('DROP FUNCTION tool_revision_immutable()');
    await q.query('DROP TABLE tools');
    await q.query('DROP TABLE reference_counters');
  }
}
