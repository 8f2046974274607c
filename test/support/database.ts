import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  embedded: boolean;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file; the app under test applies the migrations itself.
 * - DATABASE_URL set: a new database on that PostgreSQL server, dropped afterwards.
 * - otherwise: this worker's embedded PGlite server, with its schema wiped.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl) : resetEmbeddedDatabase();
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const base = new URL(serverUrl);
  // Guard: never touch a database whose name does not say it is for tests.
  if (!/test/i.test(base.pathname)) {
    throw new Error(`Refusing to run tests against ${base.pathname.slice(1)}: its name must contain "test".`);
  }
  const name = `custodia_test_${process.env.JEST_WORKER_ID ?? 0}_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    drop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function resetEmbeddedDatabase(): Promise<TestDatabase> {
  const urls = JSON.parse(process.env.CUSTODIA_TEST_PGLITE_URLS ?? '[]') as string[];
  const url = urls[Number(process.env.JEST_WORKER_ID ?? 1) - 1];
  if (!url) throw new Error('No embedded test database: run the e2e suites through jest (see jest.config.mjs).');
  // Dropping the schema also drops the append-only log tables' triggers: tests only.
  await withClient(url, async (c) => {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  });
  return { url, embedded: true, drop: async () => undefined };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
