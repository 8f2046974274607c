import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How the service was started: the real one, or the benchmark-only build with a plain log. */
export type LogMode = 'audited' | 'plain';

// The service exactly as `npm start` runs it, and the benchmark-only entry that differs from it
// in one thing: the log's append is a plain insert (plain-log-main.ts). Both built from the same
// sources with the same compiler options.
const ENTRY: Record<LogMode, string> = {
  audited: 'dist/apps/registry/src/main.js',
  plain: 'dist/bench/bench/service/plain-log-main.js',
};

export interface ServiceOptions {
  databaseUrl: string;
  dataDir: string;
  mode: LogMode;
  /** Its request log (one JSON line a request, as in production) goes to this file. */
  logFile: string;
  env?: Record<string, string>;
}

/** A Custodia service process on loopback, started and stopped by the benchmark. */
export class ServiceProcess {
  private exited?: string;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly mode: LogMode,
  ) {
    child.once('exit', (code, signal) => (this.exited = `exited with ${signal ?? code}`));
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const port = await freePort();
    const out = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, [ENTRY[options.mode]], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        SEED_DEMO: 'false',
        // The rate limiter still runs on every public request, but never refuses the benchmark.
        PUBLIC_RATE_LIMIT: '1000000',
        PUBLIC_LOG_RATE_LIMIT: '1000000',
        ...options.env,
      },
      stdio: ['ignore', out, out],
    });
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`, options.mode);
    await service.waitUntilReady(options.logFile);
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident memory of the service process now, in MiB (VmRSS of /proc). */
  rssMiB(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    return kib / 1024;
  }

  /** CPU time the service process has used so far, in ms (utime + stime of /proc). */
  cpuMs(): number {
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  private async waitUntilReady(logFile: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.exited) throw new Error(`the ${this.mode} service ${this.exited}; see ${logFile}`);
      const status = await fetch(`${this.url}/health/ready`).then((r) => r.status, () => 0);
      if (status === 200) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`the ${this.mode} service was not ready within 60 s (last status ${status}); see ${logFile}`);
      }
      await sleep(100);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
