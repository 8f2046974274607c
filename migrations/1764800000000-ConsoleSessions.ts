import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's server-side sessions (docs/console.md): the browser holds only an opaque signed
 * id in an HttpOnly cookie; the access token, the CSRF secret and the sign-in state stay here.
 * Not registry records, so not logged: signing in changes nothing anyone declares.
 */
export class ConsoleSessions1764800000000 implements MigrationInterface {
  name = 'ConsoleSessions1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        sid text PRIMARY KEY CHECK (length(sid) <= 128),
        data jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX console_sessions_expiry_idx ON console_sessions (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE console_sessions');
  }
}
