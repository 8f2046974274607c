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

// C2SP tlog-cosignature: 0x04 is an Ed25519 cosigner key (cosignature/v1), used apart from
// 0x01 so that a cosignature can never pass for a plain note signature, nor the reverse.
export const COSIGNATURE_V1_SIGNATURE_TYPE = 0x04;
export type SignatureType = typeof ED25519_SIGNATURE_TYPE | typeof COSIGNATURE_V1_SIGNATURE_TYPE;
const TYPE_NAMES: Record<SignatureType, string> = { 0x01: 'an Ed25519 (0x01)', 0x04: 'an Ed25519 cosigner (0x04)' };

// C2SP signed-note "Ed25519 signatures" (and tlog-cosignature for type 0x04):
// key ID = SHA-256(key name || 0x0A || type || 32-byte public key)[:4], big-endian.
export function noteKeyId(name: string, publicKey: Uint8Array, type: SignatureType = ED25519_SIGNATURE_TYPE): number {
  assertKeyName(name);
  assertKeyLength(publicKey, 'Ed25519 public key');
  const digest = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

// The golang.org/x/mod/sumdb/note verifier key: <name>+<hex key ID>+<base64(type || public key)>.
export function formatVerifierKey(name: string, publicKey: Uint8Array, type: SignatureType = ED25519_SIGNATURE_TYPE): string {
  const keyId = noteKeyId(name, publicKey, type);
  return `${name}+${hex8(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
}

// The matching signer key: PRIVATE+KEY+<name>+<hex key ID>+<base64(type || Ed25519 seed)>.
export function formatSignerKey(name: string, seed: Uint8Array, type: SignatureType = ED25519_SIGNATURE_TYPE): string {
  assertKeyLength(seed, 'Ed25519 seed');
  const keyId = noteKeyId(name, ed25519.getPublicKey(seed), type);
  return `PRIVATE+KEY+${name}+${hex8(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(type), seed))}`;
}

// A new Ed25519 key pair as signer and verifier key strings (random unless a seed is given).
export function generateNoteKey(
  name: string,
  seed: Uint8Array = ed25519.utils.randomSecretKey(),
  type: SignatureType = ED25519_SIGNATURE_TYPE,
): { signerKey: string; verifierKey: string } {
  return { signerKey: formatSignerKey(name, seed, type), verifierKey: formatVerifierKey(name, ed25519.getPublicKey(seed), type) };
}

export function parseVerifierKey(verifierKey: string, type: SignatureType = ED25519_SIGNATURE_TYPE): NoteVerifier {
  const [name, keyId, publicKey] = parseKeyFields(verifierKey, 'verifier key', type);
  if (noteKeyId(name, publicKey, type) !== keyId) throw malformed('verifier key', 'the key ID does not match the key');
  return { name, keyId, publicKey };
}

// A signer built by hand must still sign under the key ID its seed gives, or verifiers would
// file its signatures under another key.
export function assertSigner(signer: NoteSigner, type: SignatureType = ED25519_SIGNATURE_TYPE): void {
  assertKeyLength(signer.seed, 'Ed25519 seed');
  if (noteKeyId(signer.name, ed25519.getPublicKey(signer.seed), type) !== signer.keyId) {
    throw new TlogError('malformed-key', `signer ${signer.name}: the key ID does not match the seed`);
  }
}

export function parseSignerKey(signerKey: string, type: SignatureType = ED25519_SIGNATURE_TYPE): NoteSigner {
  if (!signerKey.startsWith('PRIVATE+KEY+')) throw malformed('signer key', 'it does not start with PRIVATE+KEY+');
  const [name, keyId, seed] = parseKeyFields(signerKey.slice('PRIVATE+KEY+'.length), 'signer key', type);
  const publicKey = ed25519.getPublicKey(seed);
  if (noteKeyId(name, publicKey, type) !== keyId) throw malformed('signer key', 'the key ID does not match the key');
  return { name, keyId, publicKey, seed };
}

// <name>+<8 hex digits>+<base64(type || 32 bytes)>; the base64 may itself contain "+".
function parseKeyFields(text: string, what: string, type: SignatureType): [string, number, Uint8Array] {
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
  if (key[0] !== type) throw malformed(what, `the key is not ${TYPE_NAMES[type]} key`);
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
