import { ed25519 } from '@noble/curves/ed25519.js';
import { encodeBase64 } from './base64.js';
import { concatBytes, utf8 } from './bytes.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { TlogError } from './errors.js';
import {
  assertSigner,
  COSIGNATURE_V1_SIGNATURE_TYPE,
  formatVerifierKey,
  generateNoteKey,
  hex8,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from './note-keys.js';
import { openNote, parseNote, type NoteSignature } from './note.js';

/**
 * C2SP tlog-cosignature, Ed25519 `cosignature/v1`: a witness's statement that, as of its
 * timestamp, the checkpoint is the largest consistent tree it has seen of that log. A signature
 * line `— <name> base64(key ID || u64 timestamp || Ed25519 signature)` over
 * "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint's note text.
 */

export interface Cosignature {
  name: string;
  keyId: number;
  /** POSIX seconds, as the cosigner stated them. */
  timestamp: number;
}

const HEADER = 'cosignature/v1\n';
// C2SP tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1; here it must also be a safe integer.
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

export function parseCosignerKey(verifierKey: string): NoteVerifier {
  return parseVerifierKey(verifierKey, COSIGNATURE_V1_SIGNATURE_TYPE);
}

export function parseCosignerSignerKey(signerKey: string): NoteSigner {
  return parseSignerKey(signerKey, COSIGNATURE_V1_SIGNATURE_TYPE);
}

export function generateCosignerKey(name: string, seed?: Uint8Array): { signerKey: string; verifierKey: string } {
  return generateNoteKey(name, seed, COSIGNATURE_V1_SIGNATURE_TYPE);
}

export function formatCosignerKey(name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(name, publicKey, COSIGNATURE_V1_SIGNATURE_TYPE);
}

/** The bytes an Ed25519 cosignature/v1 signs: header, time line, then the checkpoint's note text. */
export function cosignedMessage(checkpointText: string, timestamp: number): Uint8Array {
  assertTimestamp(timestamp);
  parseCheckpoint(checkpointText);
  return utf8(`${HEADER}time ${timestamp}\n${checkpointText}`);
}

/** The signature line a witness returns for a checkpoint (its note text, without signatures). */
export function cosignCheckpoint(checkpointText: string, signer: NoteSigner, timestamp: number): string {
  assertSigner(signer, COSIGNATURE_V1_SIGNATURE_TYPE);
  if (timestamp === 0) throw malformed('a witness never omits the timestamp (it must not be zero)');
  const signature = ed25519.sign(cosignedMessage(checkpointText, timestamp), signer.seed);
  const body = concatBytes(keyIdBytes(signer.keyId), u64(timestamp), signature);
  return `\u2014 ${signer.name} ${encodeBase64(body)}\n`;
}

/**
 * Checks one signature line of a note against a cosigner key. Undefined when the line is not
 * this cosigner's (another name or key ID); throws when it is and does not verify.
 */
export function verifyCosignature(checkpointText: string, signature: NoteSignature, cosigner: NoteVerifier): Cosignature | undefined {
  if (signature.name !== cosigner.name || signature.keyId !== cosigner.keyId) return undefined;
  const label = `${cosigner.name}+${hex8(cosigner.keyId)}`;
  if (signature.signature.length !== 8 + 64) throw new TlogError('malformed-cosignature', `the cosignature of ${label} is not a timestamp and an Ed25519 signature`);
  const view = new DataView(signature.signature.buffer, signature.signature.byteOffset, 8);
  const timestamp = Number(view.getBigUint64(0));
  if (!Number.isSafeInteger(timestamp) || timestamp === 0) throw new TlogError('malformed-cosignature', `the cosignature of ${label} has no valid timestamp`);
  let valid: boolean;
  try {
    valid = ed25519.verify(signature.signature.slice(8), cosignedMessage(checkpointText, timestamp), cosigner.publicKey, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) throw new TlogError('invalid-cosignature', `the cosignature of ${label} does not verify`);
  return { name: cosigner.name, keyId: cosigner.keyId, timestamp };
}

export interface WitnessedCheckpoint {
  checkpoint: Checkpoint;
  text: string;
  /** The pinned cosigners whose cosignature verified, in the order the keys were given. */
  cosigned: Cosignature[];
  /** Pinned cosigners with no cosignature on this checkpoint. */
  missing: NoteVerifier[];
  /** Pinned cosigners whose line is there but does not verify, with why. */
  invalid: Array<{ cosigner: NoteVerifier; reason: string }>;
}

/**
 * Opens a checkpoint signed by the log and cosigned by witnesses: the log's signature must
 * verify (openNote); each pinned cosigner's line is then checked; lines of unknown keys are
 * ignored, as C2SP says.
 */
export function openWitnessedCheckpoint(note: string | Uint8Array, log: NoteVerifier, cosigners: readonly NoteVerifier[], origin?: string): WitnessedCheckpoint {
  const opened = openNote(note, [log]);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new TlogError('origin-mismatch', `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  }
  const cosigned: Cosignature[] = [];
  const missing: NoteVerifier[] = [];
  const invalid: WitnessedCheckpoint['invalid'] = [];
  for (const cosigner of cosigners) {
    const lines = opened.unverified.filter((s) => s.name === cosigner.name && s.keyId === cosigner.keyId);
    if (lines.length === 0) {
      missing.push(cosigner);
      continue;
    }
    try {
      // Several lines by one key: the first that verifies counts, any bad one is reported.
      const valid = lines.map((line) => verifyCosignature(opened.text, line, cosigner)!);
      cosigned.push(valid[0]!);
    } catch (error) {
      invalid.push({ cosigner, reason: (error as Error).message });
    }
  }
  return { checkpoint, text: opened.text, cosigned, missing, invalid };
}

/** The signature lines of a witness's answer (C2SP tlog-witness: one or more lines, each ending in a newline). */
export function parseCosignatureLines(body: string): NoteSignature[] {
  if (body === '' || !body.endsWith('\n')) throw malformed('the cosignature lines must end with a newline');
  // Borrow the note parser: any checkpoint-shaped text, a blank line, then the lines.
  return parseNote(`x\n\n${body}`).signatures;
}

function keyIdBytes(keyId: number): Uint8Array {
  return Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 0xff, (keyId >>> 8) & 0xff, keyId & 0xff);
}

function u64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
  return bytes;
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) throw malformed(`the timestamp ${timestamp} is not a POSIX time in seconds`);
}

function malformed(reason: string): TlogError {
  return new TlogError('malformed-cosignature', `malformed cosignature: ${reason}`);
}

