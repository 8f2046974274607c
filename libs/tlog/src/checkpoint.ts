import { decodeBase64, encodeBase64 } from './base64.js';
import { isBytes } from './bytes.js';
import { TlogError } from './errors.js';
import { HASH_SIZE } from './hashing.js';
import { openNote, signNote, type OpenedNote } from './note.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  // C2SP tlog-checkpoint: opaque, optional and NOT RECOMMENDED; non-empty when present.
  extensions: string[];
}

export type CheckpointInput = Omit<Checkpoint, 'extensions'> & { extensions?: string[] };

// C2SP tlog-checkpoint "Note text": origin, decimal size, base64 root hash, extension lines,
// each ending in a newline.
export function formatCheckpoint(checkpoint: CheckpointInput): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  assertLine(origin, 'origin');
  if (!Number.isSafeInteger(size) || size < 0) throw malformed(`the size must be an integer in [0, 2^53), got ${size}`);
  if (!isBytes(rootHash) || rootHash.length !== HASH_SIZE) {
    throw malformed(`the root hash must be ${HASH_SIZE} bytes`);
  }
  extensions.forEach((line) => assertLine(line, 'extension line'));
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('it needs an origin, a size and a root hash line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  lines.forEach((line, i) => assertLine(line, `line ${i + 1}`));
  // C2SP tlog-checkpoint: ASCII decimal, no leading zeroes unless the tree is empty.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw malformed(`the size ${JSON.stringify(sizeLine)} is not canonical decimal`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw malformed(`the size ${sizeLine} is beyond 2^53 - 1`);
  let rootHash: Uint8Array;
  try {
    rootHash = decodeBase64(rootLine, 'root hash');
  } catch {
    throw malformed('the root hash is not base64');
  }
  if (rootHash.length !== HASH_SIZE) throw malformed(`the root hash is ${rootHash.length} bytes, want ${HASH_SIZE}`);
  return { origin, size, rootHash, extensions };
}

export function signCheckpoint(checkpoint: CheckpointInput, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

// Opens the signed note (see openNote) and parses its text as a checkpoint. With `origin`,
// a checkpoint of any other log is refused.
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  origin?: string,
): { checkpoint: Checkpoint; note: OpenedNote } {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new TlogError('origin-mismatch', `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  }
  return { checkpoint, note: opened };
}

function assertLine(line: string, what: string): void {
  if (line === '') throw malformed(`the ${what} is empty`);
  if (/[\u0000-\u001f]/.test(line)) throw malformed(`the ${what} contains a newline or control character`);
}

function malformed(reason: string): TlogError {
  return new TlogError('malformed-checkpoint', `malformed checkpoint: ${reason}`);
}
