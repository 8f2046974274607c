import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export class StateDirInUseError extends Error {
  constructor(readonly stateDir: string) {
    super(`Another witness is already using the state folder ${stateDir}. Stop it first, or give this one another --state.`);
  }
}

/**
 * Locks the state folder for the life of the process: two witnesses on one folder would each
 * check against a state the other may have moved on, and could cosign two roots for one size.
 * The lock records its holder's pid, so that a restart after a crash (kill -9, power loss)
 * takes over a lock whose holder is gone instead of waiting for it to go stale.
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const lockfilePath = join(stateDir, 'witness.lock');
  const holderFile = join(stateDir, 'witness.pid');
  const take = () =>
    lockfile.lock(stateDir, {
      lockfilePath,
      stale: 15_000,
      update: 5_000,
      onCompromised: (error) => {
        // Someone removed or took the lock: stop rather than risk two writers.
        console.error(`Lost the lock on ${stateDir}: ${error.message}`);
        process.exit(70);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    if (!holderIsGone(holderFile)) throw new StateDirInUseError(stateDir);
    rmSync(lockfilePath, { recursive: true, force: true });
    release = await take().catch((again: { code?: string }) => {
      throw again.code === 'ELOCKED' ? new StateDirInUseError(stateDir) : again;
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
