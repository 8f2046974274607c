import { TlogError } from './errors.js';

// Standard base64 with padding (RFC 4648 §4), as used by signed notes and checkpoints.
// Decoding is strict: only the canonical encoding of some byte string is accepted, so one
// value never has two spellings (no missing padding, whitespace or non-zero trailing bits).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CANONICAL_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += ALPHABET[b0 >> 2]! + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
    out += i + 1 < bytes.length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[b2 & 63]! : '=';
  }
  return out;
}

export function decodeBase64(text: string, what = 'value'): Uint8Array {
  if (!CANONICAL_SHAPE.test(text)) {
    throw new TlogError('bad-base64', `${what} is not standard padded base64`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let i = 0; i < text.length - padding; i++) {
    bits = ((bits << 6) | ALPHABET.indexOf(text[i]!)) & 0xffffff;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >> nbits) & 0xff;
    }
  }
  // Bits left over after the last byte must be zero, or two strings would decode alike.
  if ((bits & ((1 << nbits) - 1)) !== 0) {
    throw new TlogError('bad-base64', `${what} is not canonical base64 (non-zero trailing bits)`);
  }
  return out;
}
