import type { DataSource } from 'typeorm';

// Any fixed number shared by all instances; pg_advisory_lock takes a bigint key.
const MIGRATION_LOCK = 7_263_001;

/**
 * Applies pending migrations while holding a session advisory lock, so that several instances
 * starting together against one PostgreSQL do not race each other.
 */
export async function migrate(dataSource: DataSource, options: { embedded: boolean }): Promise<void> {
  // The embedded database has one session and one process: no one to race, and a second
  // connection for the lock would wait forever on the pool of one.
  if (options.embedded) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
