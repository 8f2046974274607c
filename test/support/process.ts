import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = 'dist/apps/registry/src/main.js';
const TOKEN = 'dist/apps/registry/src/token.js';

export interface RunningService {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
  /** Resolves with the signal or exit code when the process ends, however it ends. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Kills the process outright, as a crash would. */
  kill(): Promise<void>;
}

/** Environment for a child process: only what the test gives, plus PATH. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', SEED_DEMO: 'false', ...env };
}

/** Starts the built service (`npm start` runs the same file) and waits for its banner. */
export function startService(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningService> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv(env) });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      const match = /Custodia is running at (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1],
        output: () => output,
        stop: () => stop(child),
        exited,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
}

/** Runs the service expecting it to refuse to start. */
export function runServiceToExit(env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [MAIN], { cwd: ROOT, env: childEnv(env), timeout: 60_000, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

export function runToken(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [TOKEN, ...args], { cwd: ROOT, env: childEnv(env), encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
