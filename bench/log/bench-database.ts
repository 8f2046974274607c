import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BenchDatabase {
  /** The bench database's own URL (custodia_bench_<random> on the given server). */
  url: string;
  name: string;
  serverVersion: string;
  settings: Record<string, string>;
  drop(): Promise<void>;
}

const REPORTED_SETTINGS = ['shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'wal_level'];

/** DATABASE_URL names a database that is not obviously for tests or benchmarks. */
export class RefusedDatabaseError extends Error {}

/**
 * Creates a database of its own on the server of `serverUrl`, dropped by `drop()`. Refuses a
 * URL whose database name does not say it is for tests or benchmarks, as the e2e suites do.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const base = new URL(serverUrl);
  const given = decodeURIComponent(base.pathname.slice(1));
  if (!/test|bench/i.test(given)) {
    throw new RefusedDatabaseError(`Refusing to benchmark on ${given || '(no database)'}: the database name in DATABASE_URL must contain "test" or "bench".`);
  }
  const admin = await adminUrl(serverUrl);
  const name = `custodia_bench_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { serverVersion, settings } = await withClient(url.toString(), async (c) => {
    const [{ server_version }] = (await c.query<{ server_version: string }>('SHOW server_version')).rows;
    const rows = (await c.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [REPORTED_SETTINGS],
    )).rows;
    return { serverVersion: server_version, settings: Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} × ${r.unit}` : r.setting])) };
  });
  let dropped = false;
  return {
    url: url.toString(),
    name,
    serverVersion,
    settings,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Where to run CREATE and DROP DATABASE: the given database, or, when it does not exist (as
 * `.../test` may not), the server's `postgres` database. Only the bench's own database is ever
 * created or dropped.
 */
async function adminUrl(serverUrl: string): Promise<string> {
  try {
    await withClient(serverUrl, (c) => c.query('SELECT 1'));
    return serverUrl;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
    const fallback = new URL(serverUrl);
    fallback.pathname = '/postgres';
    return fallback.toString();
  }
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'custodia-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
