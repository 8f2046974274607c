import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each full hash tile stored with its interior: the hashes of the 255 subtrees inside it, which
 * the integrator computes anyway on the way to the tile's root. A proof through a tile the
 * service has not kept then reads them instead of hashing 255 pairs again: about a fifth of such
 * a proof's time on the server. Tiles written before have none (NULL) and are hashed as before;
 * the append-only triggers forbid filling them in. The interior is derived from `hashes`; what
 * the log serves and what verifiers check are the tiles themselves.
 */
export class TileInterior1764300000000 implements MigrationInterface {
  name = 'TileInterior1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // A nullable column without a default: no rewrite, and no row trigger fires.
    await q.query('ALTER TABLE log_tiles ADD COLUMN interior bytea CHECK (interior IS NULL OR length(interior) = 8160)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE log_tiles DROP COLUMN interior');
  }
}
