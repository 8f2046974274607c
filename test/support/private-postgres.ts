import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const HOST = '127.0.0.1';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, on a spare port), which
 * the test may stop, start and restart without disturbing the machine's shared server.
 */
export interface PrivatePostgres {
  port: number;
  /** The connection URL of a database of this cluster (as the `postgres` superuser, trust auth). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl restart -m fast`: disconnects every session, then waits until it accepts connections again. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`, waiting until the server is down. */
  stop(): Promise<void>;
  /** `pg_ctl start`, waiting until the server accepts connections. */
  start(): Promise<void>;
  /** The server's own log, for a failure's message. */
  log(): string;
  /** Stops the server (immediately) if it runs and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'custodia-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  // initdb and postgres refuse to run as root: as root, run them as the `postgres` OS user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const run = (program: string, args: string[]): Promise<string> => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(BIN, program), ...args]]
      : [join(BIN, program), args];
    // Asynchronous on purpose: the test keeps sending requests while the server stops and starts.
    return new Promise((resolve, reject) =>
      execFile(file, argv, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${program} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout),
      ),
    );
  };

  let running = false;
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    if (running || existsSync(join(dataDir, 'postmaster.pid'))) {
      await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']).catch(() => undefined);
    }
    running = false;
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const port = await sparePort();
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // In postgresql.conf rather than on pg_ctl's command line, so that every start uses them.
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        `listen_addresses = '${HOST}'`,
        `port = ${port}`,
        `unix_socket_directories = '${root}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 50',
        '',
      ].join('\n'),
    );
    const pgCtl = (...args: string[]) => run('pg_ctl', [...args, '-D', dataDir, '-l', logFile, '-w', '-t', '30']);
    const url = (database = 'postgres') => `postgres://postgres@${HOST}:${port}/${database}`;

    await pgCtl('start');
    running = true;

    return {
      port,
      url,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        const client = new pg.Client({ connectionString: url('postgres') });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return url(name);
      },
      async restart() {
        await pgCtl('restart', '-m', 'fast');
        running = true;
      },
      async stop() {
        await pgCtl('stop', '-m', 'fast');
        running = false;
      },
      async start() {
        await pgCtl('start');
        running = true;
      },
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** A TCP port free at the moment of asking (the OS picks it; the server binds it right after). */
function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no spare port'))));
    });
  });
}
