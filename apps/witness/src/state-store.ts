import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendLineDurably, writeFileDurably } from './durable-file.js';
import { lockStateDir } from './state-lock.js';
import { formatStateFile, type LogState, originHash, parseStateFile, STATE_FILE_NAME, StateFileError, stateFileName } from './state-file.js';

/** One refused checkpoint that a trusted log key signed: evidence that the log misbehaved. */
export interface Refused {
  time: string;
  origin: string;
  oldSize: number;
  size: number;
  rootHash: string;
  reason: string;
  /** The signed checkpoint as submitted. */
  note: string;
}

export const REFUSED_LOG = 'refused.log';

/**
 * The witness's durable state: one file per log origin in the state folder, holding the latest
 * checkpoint cosigned. All of it is loaded at start and kept in memory; a save is durable
 * (fsynced) before it resolves, and only then does memory move on.
 */
export class StateStore {
  private readonly states = new Map<string, LogState>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private refusals: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Locks the folder (StateDirInUseError if another witness holds it), then loads every state file (StateFileError if one is corrupt). */
  static async open(dir: string): Promise<StateStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const unlock = await lockStateDir(dir);
    try {
      const store = new StateStore(dir, unlock);
      await store.load();
      return store;
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  latest(origin: string): LogState | undefined {
    return this.states.get(origin);
  }

  /** By the hex SHA-256 of the origin, as C2SP tlog-witness monitors ask for it. */
  latestByOriginHash(hash: string): LogState | undefined {
    return [...this.states.values()].find((state) => originHash(state.origin) === hash);
  }

  /**
   * Runs `work` alone for this origin: requests of one log queue behind each other, so that
   * checking the old size and saving the new state are one step. Without it, C2SP tlog-witness
   * "add-checkpoint" warns, a request checked before another was saved rolls the state back.
   */
  withOrigin<T>(origin: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(origin) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(origin, tail);
    void tail.then(() => {
      if (this.queues.get(origin) === tail) this.queues.delete(origin);
    });
    return run;
  }

  /** Call inside withOrigin. Resolves once the state is on disk for good. */
  async save(state: LogState): Promise<void> {
    await writeFileDurably(join(this.dir, stateFileName(state.origin)), formatStateFile(state));
    this.states.set(state.origin, state);
  }

  /** Appends to refused.log (C2SP tlog-witness: a witness MAY log such requests as proof of misbehaviour). */
  recordRefusal(refused: Refused): Promise<void> {
    const write = this.refusals.then(() => appendLineDurably(join(this.dir, REFUSED_LOG), JSON.stringify(refused)));
    this.refusals = write.catch(() => undefined);
    return write;
  }

  /** Waits for the requests under way, then releases the folder. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values(), this.refusals]);
    await this.unlock();
  }

  private async load(): Promise<void> {
    // A leftover `<hash>.json.tmp` is a write a crash interrupted before its rename: the state
    // file beside it is still whole, and the next save overwrites the temp file.
    for (const name of (await readdir(this.dir)).filter((n) => STATE_FILE_NAME.test(n)).sort()) {
      const file = join(this.dir, name);
      const contents = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new StateFileError(file, `cannot read it: ${error.code ?? error.message}`);
      });
      const state = parseStateFile(file, name, contents);
      this.states.set(state.origin, state);
    }
  }
}
