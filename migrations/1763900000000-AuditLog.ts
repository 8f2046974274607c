import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's Merkle tree (PRODUCT.md "The audit log"). Writers only add rows to
 * `log_queue` (in the transaction of their change); the single elected integrator assigns each
 * queued entry an index in `log_entries`, stores the full C2SP hash tiles in `log_tiles` and a
 * signed checkpoint per batch in `log_checkpoints`. The entry bytes are stored once, in
 * `log_queue`, exactly as hashed. `log_keys` holds the checkpoint signing key's public half.
 *
 * Every log table refuses UPDATE, DELETE and TRUNCATE with triggers that fire always, and no
 * foreign key points at them or from them, so nothing can cascade into the log.
 */
export class AuditLog1763900000000 implements MigrationInterface {
  name = 'AuditLog1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // Whether the public may read the entry (it is about a public record), and the writing
    // transaction's id: the integrator finds committed entries not yet integrated by transaction
    // id horizon instead of trusting identity order, which does not follow commit order.
    await q.query('ALTER TABLE log_queue ADD COLUMN public boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE log_queue ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()');
    // The integrator scans from its horizon in this order: an index range scan however large the
    // queue grows, whatever the planner's statistics say.
    await q.query('CREATE INDEX log_queue_xid_idx ON log_queue (xid, id)');

    await q.query(`
      CREATE TABLE log_entries (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        queue_id bigint NOT NULL UNIQUE,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        integrated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Full tiles only (256 hashes); a partial tile is read from the level below. `root` is the
    // tile's Merkle root, i.e. its hash in the tile one level up.
    await q.query(`
      CREATE TABLE log_tiles (
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 63),
        idx bigint NOT NULL CHECK (idx >= 0),
        hashes bytea NOT NULL CHECK (length(hashes) = 8192),
        root bytea NOT NULL CHECK (length(root) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE log_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        queue_horizon xid8 NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE log_keys (
        id uuid PRIMARY KEY,
        verifier_key text NOT NULL UNIQUE,
        added_at timestamptz NOT NULL DEFAULT now()
      )`);

    for (const table of ['log_entries', 'log_tiles', 'log_checkpoints', 'log_keys']) {
      await q.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION log_reject_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION log_reject_change()`);
      await q.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_update_delete`);
      await q.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
    }
    // Where the service connects as its own role rather than as the tables' owner, that role
    // gets no way to change the log at all (docs/operations.md shows the grants).
    for (const table of ['log_queue', 'log_entries', 'log_tiles', 'log_checkpoints', 'log_keys']) {
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['log_keys', 'log_checkpoints', 'log_tiles', 'log_entries']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP INDEX log_queue_xid_idx');
    await q.query('ALTER TABLE log_queue DROP COLUMN xid');
    await q.query('ALTER TABLE log_queue DROP COLUMN public');
  }
}
