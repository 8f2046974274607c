import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { concatBytes, isBytes, utf8 } from './bytes.js';
import { TlogError } from './errors.js';

// C2SP signed-note "Signature types": 0x01 is Ed25519.
export const ED25519_SIGNATURE_TYPE = 0x01;
const ED25519_KEY_SIZE = 32;

export interface NoteVerifier {
  name: string;
  keyId: number;
  publicKey: Uint8Array;
}

export interface NoteSigner extends NoteVerifier {
  seed: Uint8Array;
}

// C2SP signed-note: key names are non-empty, without Unicode spaces or "+". Control
// characters are refused too, since no signed note may contain them.
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\p{White_Space}+\p{Cc}]/u.test(name) && isWellFormed(name);
}

// C2SP signed-note "Ed25519 signatures":
// key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4], big-endian.
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  assertKeyName(name);
  assertKeyLength(publicKey, 'Ed25519 public key');
  const digest = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

// The golang.org/x/mod/sumdb/note verifier key: <name>+<hex key ID>+<base64(0x01 || public key)>.
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const keyId = noteKeyId(name, publicKey);
  return `${name}+${hex8(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey))}`;
}

// The matching signer key: PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || Ed25519 seed)>.
export function formatSignerKey(name: string, seed: Uint8Array): string {
  assertKeyLength(seed, 'Ed25519 seed');
  const keyId = noteKeyId(name, ed25519.getPublicKey(seed));
  return `PRIVATE+KEY+${name}+${hex8(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), seed))}`;
}

// A new Ed25519 key pair as signer and verifier key strings (random unless a seed is given).
export function generateNoteKey(
  name: string,
  seed: Uint8Array = ed25519.utils.randomSecretKey(),
): { signerKey: string; verifierKey: string } {
  return { signerKey: formatSignerKey(name, seed), verifierKey: formatVerifierKey(name, ed25519.getPublicKey(seed)) };
}

export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const [name, keyId, publicKey] = parseKeyFields(verifierKey, 'verifier key');
  if (noteKeyId(name, publicKey) !== keyId) throw malformed('verifier key', 'the key ID does not match the key');
  return { name, keyId, publicKey };
}

// A signer built by hand must still sign under the key ID its seed gives, or verifiers would
// file its signatures under another key.
export function assertSigner(signer: NoteSigner): void {
  assertKeyLength(signer.seed, 'Ed25519 seed');
  if (noteKeyId(signer.name, ed25519.getPublicKey(signer.seed)) !== signer.keyId) {
    throw new TlogError('malformed-key', `signer ${signer.name}: the key ID does not match the seed`);
  }
}

export function parseSignerKey(signerKey: string): NoteSigner {
  if (!signerKey.startsWith('PRIVATE+KEY+')) throw malformed('signer key', 'it does not start with PRIVATE+KEY+');
  const [name, keyId, seed] = parseKeyFields(signerKey.slice('PRIVATE+KEY+'.length), 'signer key');
  const publicKey = ed25519.getPublicKey(seed);
  if (noteKeyId(name, publicKey) !== keyId) throw malformed('signer key', 'the key ID does not match the key');
  return { name, keyId, publicKey, seed };
}

// <name>+<8 hex digits>+<base64(0x01 || 32 bytes)>; the base64 may itself contain "+".
function parseKeyFields(text: string, what: string): [string, number, Uint8Array] {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw malformed(what, 'want <name>+<key ID>+<key>');
  const name = text.slice(0, first);
  const idText = text.slice(first + 1, second);
  if (!isValidKeyName(name)) throw malformed(what, 'the name is empty or has spaces, "+" or control characters');
  if (!/^[0-9a-fA-F]{8}$/.test(idText)) throw malformed(what, 'the key ID is not 8 hex digits');
  let key: Uint8Array;
  try {
    key = decodeBase64(text.slice(second + 1), what);
  } catch {
    throw malformed(what, 'the key is not base64');
  }
  if (key[0] !== ED25519_SIGNATURE_TYPE) throw malformed(what, 'the key is not an Ed25519 (0x01) key');
  if (key.length !== 1 + ED25519_KEY_SIZE) throw malformed(what, `the key is not ${ED25519_KEY_SIZE} bytes`);
  return [name, Number.parseInt(idText, 16), key.slice(1)];
}

export function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new TlogError('malformed-key', `key name ${JSON.stringify(name)} is empty or has spaces, "+" or control characters`);
  }
}

function assertKeyLength(key: Uint8Array, what: string): void {
  if (!isBytes(key) || key.length !== ED25519_KEY_SIZE) {
    throw new TlogError('malformed-key', `${what} must be ${ED25519_KEY_SIZE} bytes`);
  }
}

function malformed(what: string, reason: string): TlogError {
  return new TlogError('malformed-key', `malformed ${what}: ${reason}`);
}
