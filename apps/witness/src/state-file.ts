import { createHash } from 'node:crypto';
import { decodeBase64, encodeBase64, parseCheckpoint, parseNote } from '@custodia/tlog';

/** The latest checkpoint the witness cosigned for one log: all it must remember of it. */
export interface LogState {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** The checkpoint's note text (origin, size, root hash, extension lines). */
  checkpoint: string;
  /**
   * The checkpoint as cosigned: its text, the log's verified signature lines and this witness's
   * cosignature, as C2SP tlog-witness "Monitor Retrieval Mechanism" serves it.
   */
  note: string;
  /** The log key whose signature was verified. */
  logKey: string;
  /** POSIX seconds: the cosignature's timestamp. */
  cosignedAt: number;
}

const FORMAT = 'custodia-witness-state/v1';
export const STATE_FILE_NAME = /^[0-9a-f]{64}\.json$/;

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `The witness state file ${file} is unreadable or corrupt (${reason}). The witness will not start: restore the file from a backup. ` +
        'Do not delete it: without it the witness would cosign any checkpoint of that log again, a fork or a rollback included.',
    );
  }
}

/** C2SP tlog-witness names a log by the lowercase hex SHA-256 of its origin: a safe file name for any origin. */
export function originHash(origin: string): string {
  return createHash('sha256').update(origin, 'utf8').digest('hex');
}

export function stateFileName(origin: string): string {
  return `${originHash(origin)}.json`;
}

export function formatStateFile(state: LogState): string {
  const { origin, size, rootHash, checkpoint, note, logKey, cosignedAt } = state;
  return `${JSON.stringify({ format: FORMAT, origin, size, rootHash: encodeBase64(rootHash), checkpoint, note, logKey, cosignedAt }, null, 2)}\n`;
}

/**
 * Reads a state file back, trusting nothing in it: its fields must agree with the checkpoint
 * text it holds and its name with its origin, or the witness refuses to start.
 */
export function parseStateFile(file: string, fileName: string, contents: string): LogState {
  const fail = (reason: string) => new StateFileError(file, reason);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(contents) as Record<string, unknown>;
  } catch {
    throw fail('not JSON');
  }
  if (typeof json !== 'object' || json === null || json.format !== FORMAT) throw fail(`not a ${FORMAT} document`);
  const { origin, size, rootHash, checkpoint, note, logKey, cosignedAt } = json;
  if (typeof origin !== 'string' || typeof checkpoint !== 'string' || typeof note !== 'string' || typeof logKey !== 'string' || typeof rootHash !== 'string') {
    throw fail('origin, rootHash, checkpoint, note and logKey must be strings');
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw fail('size is not a tree size');
  if (typeof cosignedAt !== 'number' || !Number.isSafeInteger(cosignedAt) || cosignedAt <= 0) throw fail('cosignedAt is not a POSIX time');
  if (fileName !== stateFileName(origin)) throw fail(`its name is not the SHA-256 of its origin ${JSON.stringify(origin)}`);
  try {
    const parsed = parseCheckpoint(checkpoint);
    const root = decodeBase64(rootHash, 'rootHash');
    if (parsed.origin !== origin || parsed.size !== size || encodeBase64(parsed.rootHash) !== rootHash) throw new Error('the checkpoint does not match origin, size and rootHash');
    if (parseNote(note).text !== checkpoint) throw new Error('the note is not of the checkpoint');
    return { origin, size, rootHash: root, checkpoint, note, logKey, cosignedAt };
  } catch (error) {
    throw fail((error as Error).message);
  }
}
