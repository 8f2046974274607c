// Plain .mjs: jest does not apply its TypeScript transform or module mapping to global setup.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/**
 * Without DATABASE_URL the end-to-end suites run on the embedded database: one in-memory PGlite
 * server per jest worker (PGlite serves one session), shared by the files that worker runs.
 */
export default async function globalSetup(globalConfig) {
  if (process.env.DATABASE_URL) return;
  const servers = [];
  const workers = Math.max(1, globalConfig.maxWorkers);
  for (let i = 0; i < workers; i++) {
    // The extensions the service loads (apps/registry/src/database/embedded-database.ts).
    const db = await PGlite.create({ extensions: { pg_trgm, unaccent } });
    // The app under test uses one connection; one more lets the next file's reset connect while
    // the previous app's session is still being detached (the server detaches asynchronously).
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    servers.push({ db, server, url: `postgres://postgres@${server.getServerConn()}/postgres` });
  }
  globalThis.__CUSTODIA_PGLITE__ = servers;
  // Workers are started after global setup and inherit its environment.
  process.env.CUSTODIA_TEST_PGLITE_URLS = JSON.stringify(servers.map((s) => s.url));
}
