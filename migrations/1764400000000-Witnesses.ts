import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Witnesses (docs/witness.md): the cosignatures they returned for the log's checkpoints, kept
 * for good like the checkpoints themselves (append-only, the same triggers), and what the
 * registry knows of each witness now — the size it last cosigned, the last answer — which
 * changes with every attempt and says which witness is behind and why.
 *
 * Neither is a change to the registry's records, so neither gets a log entry: a cosignature is a
 * statement about the log, and logging it would make a new checkpoint to cosign, without end.
 */
export class Witnesses1764400000000 implements MigrationInterface {
  name = 'Witnesses1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE log_cosignatures (
        -- The size of a checkpoint in log_checkpoints. No foreign key: it would make TRUNCATE of
        -- the checkpoints fail on the reference instead of on their append-only trigger.
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        witness text NOT NULL,
        line text NOT NULL CHECK (line LIKE '— % %' AND right(line, 1) = E'\\n'),
        cosigned_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tree_size, witness)
      )`);
    await q.query(`CREATE TRIGGER log_cosignatures_no_update_delete BEFORE UPDATE OR DELETE ON log_cosignatures
      FOR EACH ROW EXECUTE FUNCTION log_reject_change()`);
    await q.query(`CREATE TRIGGER log_cosignatures_no_truncate BEFORE TRUNCATE ON log_cosignatures
      FOR EACH STATEMENT EXECUTE FUNCTION log_reject_change()`);
    await q.query('ALTER TABLE log_cosignatures ENABLE ALWAYS TRIGGER log_cosignatures_no_update_delete');
    await q.query('ALTER TABLE log_cosignatures ENABLE ALWAYS TRIGGER log_cosignatures_no_truncate');
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON log_cosignatures FROM PUBLIC');

    await q.query(`
      CREATE TABLE log_witnesses (
        witness text PRIMARY KEY,
        url text NOT NULL,
        cosigned_size bigint CHECK (cosigned_size >= 0),
        cosigned_at timestamptz,
        attempted_at timestamptz,
        last_status text,
        last_error text,
        refused_size bigint,
        refused_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE log_witnesses');
    await q.query('DROP TABLE log_cosignatures');
  }
}
