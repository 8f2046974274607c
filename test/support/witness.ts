import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCosignerKey } from '@custodia/tlog';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WITNESS = 'dist/apps/witness/main.js';

export interface RunningWitness {
  name: string;
  verifierKey: string;
  url: string;
  stateDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** A witness key made once per test, reused across restarts of the same witness. */
export function witnessKey(name: string): { signerKey: string; verifierKey: string } {
  return generateCosignerKey(name);
}

/**
 * The built witness program (`npm run witness -- serve`) as its own process, for the logs whose
 * verifier keys are given; `listen` reuses an address across a restart.
 */
export async function startWitness(options: {
  name: string;
  key: { signerKey: string; verifierKey: string };
  logs: string[];
  stateDir?: string;
  listen?: string;
  env?: Record<string, string>;
}): Promise<RunningWitness> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'custodia-witness-'));
  const args = ['serve', '--state', stateDir, '--listen', options.listen ?? '127.0.0.1:0', ...options.logs.flatMap((log) => ['--log', log])];
  const child = spawn(process.execPath, [WITNESS, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, WITNESS_SIGNING_KEY: options.key.signerKey, ...options.env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the witness did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /listening at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the witness exited with ${code}:\n${output}`));
    });
  });
  return { name: options.name, verifierKey: options.key.verifierKey, url, stateDir, output: () => output, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

export function removeState(witness: RunningWitness): void {
  rmSync(witness.stateDir, { recursive: true, force: true });
}
