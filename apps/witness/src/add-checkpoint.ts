import {
  type Checkpoint,
  decodeBase64,
  emptyRoot,
  HASH_SIZE,
  type NoteSignature,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  TlogError,
  verifyConsistency,
} from '@custodia/tlog';
import type { TrustedLog } from './trusted-logs.js';

/** A checkpoint the witness will not cosign, with the HTTP status C2SP tlog-witness gives it. */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    message: string,
    /** With 409: the size of the latest checkpoint cosigned, which the answer's body states. */
    readonly cosignedSize?: number,
  ) {
    super(message);
  }
}

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, as sent. */
  note: string;
}

/** A submitted checkpoint whose origin is trusted and whose log signature verified. */
export interface SubmittedCheckpoint {
  checkpoint: Checkpoint;
  /** The note text (the checkpoint without signatures): what a cosignature signs. */
  text: string;
  /** The signatures of the log's trusted keys that verified (unknown keys' lines are dropped). */
  logSignatures: NoteSignature[];
}

// C2SP tlog-witness "add-checkpoint": the client MUST NOT send more than 63 proof lines.
const MAX_PROOF_LINES = 63;
const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * C2SP tlog-witness "add-checkpoint" body: `old <size>`, zero or more base64 hashes, an empty
 * line, then the checkpoint note; every line ends in a newline. Anything else is a 400.
 */
export function parseAddCheckpoint(body: Uint8Array): AddCheckpointRequest {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw malformed('the body is not UTF-8');
  }
  const lines = text.split('\n');
  const oldLine = lines[0]!;
  if (lines.length < 2 || !oldLine.startsWith('old ') || !CANONICAL_DECIMAL.test(oldLine.slice(4))) {
    throw malformed('the body must start with "old <size>", the size in decimal without leading zeroes');
  }
  const oldSize = Number(oldLine.slice(4));
  if (!Number.isSafeInteger(oldSize)) throw malformed(`the old size ${oldLine.slice(4)} is beyond 2^53 - 1`);

  const proof: Uint8Array[] = [];
  let at = 1;
  for (; at < lines.length - 1 && lines[at] !== ''; at++) {
    if (proof.length === MAX_PROOF_LINES) throw malformed(`more than ${MAX_PROOF_LINES} consistency proof lines`);
    proof.push(decodeHash(lines[at]!, proof.length + 1));
  }
  // The empty line must be a whole line: `lines` ends with what follows the last newline.
  if (at >= lines.length - 1) throw malformed('there is no empty line between the proof and the checkpoint');
  return { oldSize, proof, note: lines.slice(at + 1).join('\n') };
}

/**
 * Reads the checkpoint (400 if malformed), finds its log by origin (404, C2SP tlog-witness:
 * "If the checkpoint origin is unknown") and checks the log's signature: 403 when no trusted
 * key signed it or a trusted key's signature fails. Signatures of unknown keys are ignored.
 */
export function openSubmittedCheckpoint(request: AddCheckpointRequest, logs: ReadonlyMap<string, TrustedLog>): SubmittedCheckpoint {
  let checkpoint: Checkpoint;
  let text: string;
  try {
    text = parseNote(request.note).text;
    checkpoint = parseCheckpoint(text);
  } catch (error) {
    if (error instanceof TlogError) throw malformed(error.message);
    throw error;
  }
  // C2SP tlog-witness: "The old size MUST be equal to or lower than the checkpoint size".
  if (request.oldSize > checkpoint.size) {
    throw malformed(`the old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.size}`);
  }
  const log = logs.get(checkpoint.origin);
  if (log === undefined) throw new Refusal(404, `unknown log origin ${JSON.stringify(checkpoint.origin)}`);
  try {
    const opened = openCheckpoint(request.note, log.keys.map((key) => key.verifier));
    return { checkpoint, text, logSignatures: opened.note.verified };
  } catch (error) {
    if (error instanceof TlogError && (error.code === 'no-verified-signature' || error.code === 'invalid-signature')) {
      const why = error.code === 'invalid-signature' ? error.message : `no signature by a trusted key of ${checkpoint.origin}`;
      throw new Refusal(403, why);
    }
    if (error instanceof TlogError) throw malformed(error.message);
    throw error;
  }
}

/**
 * The consistency rules of C2SP tlog-witness "add-checkpoint", against the latest checkpoint
 * cosigned for the origin (none: size 0). Passing them, the new checkpoint extends that one:
 * never a smaller tree, never a second root for one size.
 */
export function checkConsistency(
  cosigned: { size: number; rootHash: Uint8Array } | undefined,
  request: AddCheckpointRequest,
  checkpoint: Checkpoint,
): void {
  const cosignedSize = cosigned?.size ?? 0;
  if (request.oldSize !== cosignedSize) {
    throw new Refusal(409, `the old size ${request.oldSize} is not the size last cosigned, ${cosignedSize}`, cosignedSize);
  }
  // RFC 6962 §2.1: the root of the empty tree is the hash of the empty string.
  if (checkpoint.size === 0 && !sameBytes(checkpoint.rootHash, emptyRoot())) {
    throw new Refusal(422, 'a checkpoint of size 0 must have the root hash of the empty tree');
  }
  if (request.oldSize === 0) {
    // The empty tree is a prefix of every tree: there is nothing to prove.
    if (request.proof.length > 0) throw new Refusal(422, 'the consistency proof from size 0 must be empty');
    return;
  }
  if (request.oldSize === checkpoint.size && !sameBytes(cosigned!.rootHash, checkpoint.rootHash)) {
    throw new Refusal(422, `a checkpoint of size ${checkpoint.size} with another root hash than the one cosigned (a fork)`);
  }
  try {
    verifyConsistency(request.oldSize, checkpoint.size, request.proof, cosigned!.rootHash, checkpoint.rootHash);
  } catch (error) {
    if (error instanceof TlogError) throw new Refusal(422, `the consistency proof from ${request.oldSize} to ${checkpoint.size} does not verify: ${error.message}`);
    throw error;
  }
}

function decodeHash(line: string, number: number): Uint8Array {
  let hash: Uint8Array;
  try {
    hash = decodeBase64(line, 'proof hash');
  } catch {
    throw malformed(`consistency proof line ${number} is not base64`);
  }
  if (hash.length !== HASH_SIZE) throw malformed(`consistency proof line ${number} is ${hash.length} bytes, not a ${HASH_SIZE}-byte hash`);
  return hash;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function malformed(reason: string): Refusal {
  return new Refusal(400, `malformed add-checkpoint request: ${reason}`);
}
