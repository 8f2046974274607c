import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `Another Custodia instance is already using the data folder ${dataDir}. ` +
        'Stop it first, or start this one with a different DATA_DIR.',
    );
  }
}

/**
 * PostgreSQL embedded in this process (PGlite, PostgreSQL compiled to WebAssembly), served on a
 * loopback port over the PostgreSQL wire protocol so that TypeORM talks to it through the
 * ordinary `pg` driver, exactly as it talks to a PostgreSQL server.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly url: string,
    readonly dataDir: string,
    /** True when this start created the database (first start on this data folder). */
    readonly created: boolean,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly unlock: () => Promise<void>,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    mkdirSync(dataDir, { recursive: true });
    // PGlite takes no lock of its own: a second process on the same folder would silently lose
    // writes, so the folder is locked for the life of the process.
    const unlock = await lockDataDir(dataDir);

    try {
      const pgdata = join(dataDir, 'pgdata');
      const created = !existsSync(join(pgdata, 'PG_VERSION'));
      // pg_trgm and unaccent: the public search's trigrams and accent folding (the server's
      // postgresql-contrib has them too).
      const db = await PGlite.create(pgdata, { extensions: { pg_trgm, unaccent } });
      // pglite-socket serves one session; more connections collide on prepared statements.
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
      await server.start();
      const url = `postgres://postgres@${server.getServerConn()}/postgres`;
      return new EmbeddedDatabase(url, dataDir, created, db, server, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await this.unlock();
  }
}

/**
 * Locks the data folder for the life of the process. The lock records its holder's pid, so that
 * a restart after a crash (kill -9, power loss) takes over a lock whose holder is gone instead
 * of waiting for it to go stale.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockfilePath = join(dataDir, 'custodia.lock');
  const holderFile = join(dataDir, 'custodia.pid');
  const take = () =>
    lockfile.lock(dataDir, {
      lockfilePath,
      stale: 15_000,
      update: 5_000,
      onCompromised: (error) => {
        // Someone removed or took the lock: stop rather than risk two writers.
        console.error(`Lost the lock on ${dataDir}: ${error.message}`);
        process.exit(70);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    if (!holderIsGone(holderFile)) throw new DataDirInUseError(dataDir);
    rmSync(lockfilePath, { recursive: true, force: true });
    release = await take().catch((again: { code?: string }) => {
      throw again.code === 'ELOCKED' ? new DataDirInUseError(dataDir) : again;
    });
  }
  writeFileSync(holderFile, `${process.pid} ${hostname()}\n`);
  return release;
}

function holderIsGone(holderFile: string): boolean {
  if (!existsSync(holderFile)) return false;
  const [pidText, host] = readFileSync(holderFile, 'utf8').trim().split(' ');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}
