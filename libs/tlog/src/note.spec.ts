import { sha256 } from '@noble/hashes/sha2.js';
import { errorCode } from '../test-support/error-code.js';
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
  type NoteSigner,
} from './note-keys.js';
import { openNote, parseNote, signNote } from './note.js';

// Vectors from golang.org/x/mod/sumdb/note (note_test.go), the reference implementation.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_B64 = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
const ENOCH_B64 = 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';
const PETER_SIG = `\u2014 PeterNeumann ${PETER_B64}\n`;
const ENOCH_SIG = `\u2014 EnochRoot ${ENOCH_B64}\n`;

const peter = parseVerifierKey(PETER_VKEY);
const enoch = parseVerifierKey(ENOCH_VKEY);

// Go slices strings by byte; the em dash is 3 bytes in UTF-8.
function insertAtByte(text: string, at: number, insert: string): string {
  const bytes = Buffer.from(text);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(insert), bytes.subarray(at)]).toString();
}

const sigOf = (name: string, keyId: number, b64: string) => ({
  name,
  keyId,
  signature: new Uint8Array(Buffer.from(b64, 'base64').subarray(4)),
});

describe('note keys', () => {
  test('the reference verifier and signer keys parse and re-encode byte for byte', () => {
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    const signer = parseSignerKey(PETER_SKEY);
    expect(Buffer.from(signer.publicKey)).toEqual(Buffer.from(peter.publicKey));
    expect(formatVerifierKey('PeterNeumann', peter.publicKey)).toBe(PETER_VKEY);
    expect(formatSignerKey('PeterNeumann', signer.seed)).toBe(PETER_SKEY);
  });

  test('the key ID is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)', () => {
    const digest = sha256(Buffer.concat([Buffer.from('PeterNeumann\n'), Buffer.of(0x01), peter.publicKey]));
    expect(noteKeyId('PeterNeumann', peter.publicKey)).toBe(Buffer.from(digest).readUInt32BE(0));
    expect(noteKeyId('PeterNeumann', peter.publicKey).toString(16)).toBe('c74f20a3');
  });

  test('every substring and every single-character change of the reference keys is rejected', () => {
    for (const [key, parse] of [
      [PETER_VKEY, parseVerifierKey],
      [PETER_SKEY, parseSignerKey],
    ] as const) {
      for (let i = 0; i <= key.length; i++) {
        for (let j = i + 1; j <= key.length; j++) {
          if (i === 0 && j === key.length) continue;
          expect(errorCode(() => parse(key.slice(i, j)))).toBe('malformed-key');
        }
      }
      for (let i = 0; i < key.length; i++) {
        const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        expect(errorCode(() => parse(mangled))).toBe('malformed-key');
      }
    }
  });

  test('a key of the wrong length or of an unknown algorithm is rejected even with a matching key ID', () => {
    expect(errorCode(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='))).toBe('malformed-key');
    expect(errorCode(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toBe('malformed-key');
  });

  test('generated keys round-trip and sign notes their verifier key opens', () => {
    const seed = new Uint8Array(32).fill(9);
    const { signerKey, verifierKey } = generateNoteKey('custodia.example/log', seed);
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+custodia\.example\/log\+[0-9a-f]{8}\+A/);
    const signer = parseSignerKey(signerKey);
    const verifier = parseVerifierKey(verifierKey);
    expect(verifierKey).toBe(formatVerifierKey(signer.name, signer.publicKey));
    expect(openNote(signNote('hello\n', [signer]), [verifier]).text).toBe('hello\n');
    expect(generateNoteKey('random').signerKey).not.toBe(generateNoteKey('random').signerKey);
  });

  test('key names with spaces, plus signs or control characters are refused', () => {
    const pub = peter.publicKey;
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u2028b', 'a\u0085b', 'a\u0001b']) {
      expect(errorCode(() => formatVerifierKey(name, pub))).toBe('malformed-key');
    }
  });
});

describe('signing notes', () => {
  test('reproduces the reference signed note exactly (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, [parseSignerKey(PETER_SKEY)])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  test('refuses texts that are empty, lack the final newline or hold control characters', () => {
    const signer = parseSignerKey(PETER_SKEY);
    for (const text of ['', 'abc', 'a\tb\n', 'a\rb\n', '\ud800\n']) {
      expect(errorCode(() => signNote(text, [signer]))).toBe('malformed-note');
    }
    expect(errorCode(() => signNote(TEXT, []))).toBe('malformed-note');
    const badName: NoteSigner = { ...signer, name: 'a+b' };
    expect(errorCode(() => signNote(TEXT, [badName]))).toBe('malformed-note');
    const wrongId: NoteSigner = { ...signer, keyId: (signer.keyId ^ 1) >>> 0 };
    expect(errorCode(() => signNote(TEXT, [wrongId]))).toBe('malformed-key');
    const wrongSeed: NoteSigner = { ...signer, seed: new Uint8Array(32) };
    expect(errorCode(() => signNote(TEXT, [wrongSeed]))).toBe('malformed-key');
  });
});

describe('opening notes', () => {
  const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
  const peterSig = sigOf('PeterNeumann', 0xc74f20a3, PETER_B64);
  const enochSig = sigOf('EnochRoot', 0xaf0cfe78, ENOCH_B64);

  test('verifies the known key and sets the unknown signer aside', () => {
    const opened = openNote(note, [peter]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verified).toEqual([peterSig]);
    expect(opened.unverified).toEqual([enochSig]);
  });

  test('verifies every known key, from a string or from bytes', () => {
    for (const input of [note, new TextEncoder().encode(note)]) {
      const opened = openNote(input, [peter, enoch]);
      expect(opened.verified).toEqual([peterSig, enochSig]);
      expect(opened.unverified).toEqual([]);
    }
  });

  test('rejects a note with no signature by a known key', () => {
    expect(errorCode(() => openNote(note, []))).toBe('no-verified-signature');
    expect(parseNote(note).signatures).toEqual([peterSig, enochSig]);
  });

  test('ignores a key that shares only the name or only the key ID of a known key', () => {
    const sameName = { ...peter, keyId: 0xc74f20a4 };
    const sameId = { ...peter, name: 'PeterNeuman' };
    expect(errorCode(() => openNote(`${TEXT}\n${PETER_SIG}`, [sameName, sameId]))).toBe('no-verified-signature');
  });

  test('rejects a note whose known signer appears twice in the verifier list, only if used', () => {
    expect(errorCode(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch]))).toBe('ambiguous-key');
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [enoch, peter, enoch]).verified).toEqual([peterSig]);
  });

  test('rejects more than 100 signatures', () => {
    expect(errorCode(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter]))).toBe('malformed-note');
    expect(openNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, [peter]).verified).toHaveLength(1);
  });

  test('rejects the whole note when a known key’s signature does not verify', () => {
    expect(errorCode(() => openNote(`${TEXT}\n${insertAtByte(PETER_SIG, 60, 'ABCD')}`, [peter]))).toBe('invalid-signature');
    expect(errorCode(() => openNote(`${TEXT.replace('cryptography', 'cryptographY')}\n${PETER_SIG}`, [peter]))).toBe(
      'invalid-signature',
    );
    expect(errorCode(() => openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG.replace('Kvqf', 'Kvqg')}`, [peter]))).toBe(
      'invalid-signature',
    );
  });

  test('keeps each verified key once and each distinct unverified signature once', () => {
    const badEnoch = insertAtByte(ENOCH_SIG, 60, 'ABCD');
    const opened = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${badEnoch}`, [peter]);
    expect(opened.verified).toEqual([peterSig]);
    expect(opened.unverified).toEqual([
      enochSig,
      sigOf('EnochRoot', 0xaf0cfe78, 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ='),
    ]);
  });

  test('takes the text up to the last blank line, so the text may hold blank lines', () => {
    const signer = parseSignerKey(PETER_SKEY);
    const text = 'first\n\nsecond\n\n';
    expect(openNote(signNote(text, [signer]), [peter]).text).toBe(text);
  });

  test.each([
    ['no signature block', TEXT],
    ['a blank line and no signature', `${TEXT}\n`],
    ['a signature line without its newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['a carriage return', `${TEXT.replace('\n', '\r\n')}\n${PETER_SIG}`],
    ['a key name with a space', `${TEXT}\n\u2014 Bad Name ${PETER_B64}`],
    ['a line after the signatures', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['a hyphen instead of an em dash', `${TEXT}\n- PeterNeumann ${PETER_B64}\n`],
    ['a signature that is not base64', `${TEXT}\n\u2014 PeterNeumann ${PETER_B64.slice(1)}\n`],
    ['a signature of only a key ID', `${TEXT}\n\u2014 PeterNeumann x08gow==\n`],
    ['a lone surrogate', `\ud800${TEXT}\n${PETER_SIG}`],
  ])('rejects a malformed note: %s', (_, message) => {
    expect(errorCode(() => openNote(message, [peter]))).toBe('malformed-note');
  });

  test('rejects bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.of(0xff), Buffer.from(`${TEXT}\n${PETER_SIG}`)]);
    expect(errorCode(() => openNote(new Uint8Array(bytes), [peter]))).toBe('malformed-note');
  });
});
