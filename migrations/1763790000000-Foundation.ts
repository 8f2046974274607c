import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763790000000 implements MigrationInterface {
  name = 'Foundation1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        kind text NOT NULL CHECK (kind IN ('police', 'prosecution', 'judiciary', 'ministry',
          'penitentiary', 'border', 'customs', 'financial_intelligence', 'other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX agencies_country_name_key ON agencies (country, lower(name))');
    await q.query('CREATE INDEX agencies_name_id_idx ON agencies (name, id)');

    // The audit log's queue: entries written in the same transaction as the change they record.
    // No foreign key points here or from here, so nothing can cascade into it.
    await q.query(`
      CREATE TABLE log_queue (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry bytea NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX log_queue_subject_idx ON log_queue (subject_id, id)');
    await q.query(`
      CREATE FUNCTION log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER log_queue_no_update_delete BEFORE UPDATE OR DELETE ON log_queue
      FOR EACH ROW EXECUTE FUNCTION log_reject_change()`);
    await q.query(`CREATE TRIGGER log_queue_no_truncate BEFORE TRUNCATE ON log_queue
      FOR EACH STATEMENT EXECUTE FUNCTION log_reject_change()`);
    // ENABLE ALWAYS: the triggers fire even with session_replication_role = replica.
    await q.query('ALTER TABLE log_queue ENABLE ALWAYS TRIGGER log_queue_no_update_delete');
    await q.query('ALTER TABLE log_queue ENABLE ALWAYS TRIGGER log_queue_no_truncate');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE log_queue');
    await q.query('DROP FUNCTION log_reject_change()');
    await q.query('DROP TABLE agencies');
  }
}
