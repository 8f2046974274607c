import { ed25519 } from '@noble/curves/ed25519.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { concatBytes, equalBytes, utf8 } from './bytes.js';
import { TlogError } from './errors.js';
import { assertSigner, hex8, isValidKeyName, isWellFormed, type NoteSigner, type NoteVerifier } from './note-keys.js';

// One signature line: the key name, the key ID and the signature bytes (without the key ID).
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

export interface OpenedNote {
  text: string;
  // Signatures by a given verifier, each key once.
  verified: NoteSignature[];
  // Signatures by keys not given (cosigners, rotated keys), kept but not trusted.
  unverified: NoteSignature[];
}

// C2SP signed-note: verifiers MUST accept at least 16; golang.org/x/mod/sumdb/note stops at 100.
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

// C2SP signed-note "Format": the text, a blank line, then one line per signer.
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw malformed('at least one signer is needed');
  const lines = signers.map((signer) => {
    if (!isValidKeyName(signer.name)) throw malformed(`signer name ${JSON.stringify(signer.name)} is not a valid key name`);
    assertSigner(signer);
    const signature = ed25519.sign(utf8(text), signer.seed);
    return signatureLine({ name: signer.name, keyId: signer.keyId, signature });
  });
  return `${text}\n${lines.join('')}`;
}

// Splits a note into text and signature lines and checks its syntax; verifies nothing.
export function parseNote(note: string | Uint8Array): ParsedNote {
  const message = typeof note === 'string' ? note : decodeUtf8(note);
  assertNoteCharacters(message);
  // C2SP signed-note "Format": the text is separated from the signatures by the last empty line.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('there is no blank line before the signatures');
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformed('the signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  return { text: message.slice(0, split + 1), signatures: lines.map(parseSignatureLine) };
}

// C2SP signed-note "Signatures": signatures by unknown keys (name and key ID not both matching
// a verifier) are set aside; a known key's signature MUST verify or the note is rejected; at
// least one must verify.
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of signatures) {
    const candidates = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (candidates.length > 1) throw new TlogError('ambiguous-key', `more than one verifier for key ${keyLabel(sig)}`);
    const verifier = candidates[0];
    if (verifier === undefined) {
      if (!unverified.some((u) => sameSignature(u, sig))) unverified.push(sig);
      continue;
    }
    if (!verifyEd25519(sig.signature, message, verifier.publicKey)) {
      throw new TlogError('invalid-signature', `invalid signature for key ${keyLabel(sig)}`);
    }
    if (!verified.some((v) => v.name === sig.name && v.keyId === sig.keyId)) verified.push(sig);
  }
  if (verified.length === 0) throw new TlogError('no-verified-signature', 'the note has no signature by a known key');
  return { text, verified, unverified };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line must start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  if (space < 0 || !isValidKeyName(name)) throw malformed('a signature line needs a valid key name and a signature');
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(rest.slice(space + 1), 'signature');
  } catch {
    throw malformed(`the signature of ${name} is not base64`);
  }
  // C2SP signed-note: base64(32-bit key ID || signature), so at least one signature byte.
  if (bytes.length < 5) throw malformed(`the signature of ${name} is too short`);
  const keyId = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return { name, keyId, signature: bytes.slice(4) };
}

function signatureLine(sig: NoteSignature): string {
  const keyId = Uint8Array.of(sig.keyId >>> 24, (sig.keyId >>> 16) & 0xff, (sig.keyId >>> 8) & 0xff, sig.keyId & 0xff);
  return `${SIGNATURE_PREFIX}${sig.name} ${encodeBase64(concatBytes(keyId, sig.signature))}\n`;
}

function assertNoteText(text: string): void {
  assertNoteCharacters(text);
  if (!text.endsWith('\n')) throw malformed('the text must end with a newline');
}

// C2SP signed-note "Format": valid UTF-8, no control characters other than newline.
function assertNoteCharacters(text: string): void {
  if (!isWellFormed(text)) throw malformed('the note is not valid UTF-8');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('the note contains a control character');
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw malformed('the note is not valid UTF-8');
  }
}

// RFC 8032 verification (noble's zip215: false), rejecting non-canonical encodings.
function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

function sameSignature(a: NoteSignature, b: NoteSignature): boolean {
  return a.name === b.name && a.keyId === b.keyId && equalBytes(a.signature, b.signature);
}

function keyLabel(sig: NoteSignature): string {
  return `${sig.name}+${hex8(sig.keyId)}`;
}

function malformed(reason: string): TlogError {
  return new TlogError('malformed-note', `malformed note: ${reason}`);
}
