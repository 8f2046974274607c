import { describe, expect, it } from '@jest/globals';
import { ed25519 } from '@noble/curves/ed25519.js';
import { decodeBase64 } from './base64.js';
import { signCheckpoint } from './checkpoint.js';
import {
  cosignCheckpoint,
  cosignedMessage,
  generateCosignerKey,
  openWitnessedCheckpoint,
  parseCosignatureLines,
  parseCosignerKey,
  parseCosignerSignerKey,
  verifyCosignature,
} from './cosignature.js';
import { generateNoteKey, noteKeyId, parseSignerKey, parseVerifierKey } from './note-keys.js';
import { openNote, parseNote } from './note.js';

// The checkpoint and cosignature of the C2SP tlog-cosignature and tlog-witness examples.
const SPEC_CHECKPOINT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_COSIGNED = `${SPEC_CHECKPOINT}
\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==
`;

const seed = (byte: number) => new Uint8Array(32).fill(byte);
const log = parseSignerKey(generateNoteKey('custodia.example/log', seed(1)).signerKey);
const w1 = parseCosignerSignerKey(generateCosignerKey('witness.example/w1', seed(2)).signerKey);
const w2 = parseCosignerSignerKey(generateCosignerKey('witness.example/w2', seed(3)).signerKey);
const root = new Uint8Array(32).fill(7);
const text = 'custodia.example/log\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n';

describe('C2SP tlog-cosignature v1 (Ed25519)', () => {
  it('signs the message the spec shows: header, time line, then the checkpoint', () => {
    expect(new TextDecoder().decode(cosignedMessage(SPEC_CHECKPOINT, 1679315147))).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it("reads the spec's example cosignature as key ID, the timestamp of its message example, and 64 signature bytes", () => {
    const line = parseNote(SPEC_COSIGNED).signatures[1]!;
    expect(line.name).toBe('witness.example.com/w1');
    expect(line.keyId).toBe(0x8d66cf3f);
    expect(line.signature).toHaveLength(72);
    expect(Number(new DataView(line.signature.buffer, line.signature.byteOffset).getBigUint64(0))).toBe(1679315147);
  });

  it('computes the key ID with the 0x04 type byte, apart from a note key of the same seed', () => {
    const { verifierKey } = generateCosignerKey('witness.example/w1', seed(2));
    expect(verifierKey).toMatch(/^witness\.example\/w1\+[0-9a-f]{8}\+/);
    expect(decodeBase64(verifierKey.split('+').slice(2).join('+'), 'key')[0]).toBe(0x04);
    const publicKey = ed25519.getPublicKey(seed(2));
    expect(parseCosignerKey(verifierKey).keyId).toBe(noteKeyId('witness.example/w1', publicKey, 0x04));
    expect(parseCosignerKey(verifierKey).keyId).not.toBe(noteKeyId('witness.example/w1', publicKey));
    expect(() => parseCosignerKey(generateNoteKey('witness.example/w1', seed(2)).verifierKey)).toThrow('not an Ed25519 cosigner (0x04) key');
    expect(() => parseVerifierKey(verifierKey)).toThrow('not an Ed25519 (0x01) key');
  });

  it('verifies its own cosignatures, with their timestamp, and refuses any other root or time', () => {
    const line = cosignCheckpoint(text, w1, 1_790_000_000);
    const [signature] = parseCosignatureLines(line);
    expect(verifyCosignature(text, signature!, w1)).toEqual({ name: w1.name, keyId: w1.keyId, timestamp: 1_790_000_000 });
    expect(verifyCosignature(text, signature!, w2)).toBeUndefined();
    const otherRoot = text.replace('BwcH', 'CAcH');
    expect(() => verifyCosignature(otherRoot, signature!, w1)).toThrow('does not verify');
    const shifted = { ...signature!, signature: Uint8Array.from(signature!.signature) };
    shifted.signature[7] ^= 1; // another timestamp
    expect(() => verifyCosignature(text, shifted, w1)).toThrow('does not verify');
    expect(() => cosignCheckpoint(text, w1, 0)).toThrow('must not be zero');
  });

  it('opens a checkpoint with its quorum: who cosigned, who is missing, whose line is bad; unknown lines ignored', () => {
    const signed = signCheckpoint({ origin: 'custodia.example/log', size: 42, rootHash: root }, [log]);
    const stranger = parseCosignerSignerKey(generateCosignerKey('someone.example/w', seed(9)).signerKey);
    const forged = cosignCheckpoint(text.replace('42', '41'), w2, 1_790_000_001);
    const note = signed + cosignCheckpoint(text, w1, 1_790_000_000) + cosignCheckpoint(text, stranger, 5) + forged;
    const opened = openWitnessedCheckpoint(note, log, [w1, w2, parseCosignerKey(generateCosignerKey('witness.example/w3', seed(4)).verifierKey)]);
    expect(opened.checkpoint.size).toBe(42);
    expect(opened.cosigned.map((c) => c.name)).toEqual(['witness.example/w1']);
    expect(opened.invalid.map((i) => [i.cosigner.name, i.reason])).toEqual([['witness.example/w2', expect.stringContaining('does not verify')]]);
    expect(opened.missing.map((m) => m.name)).toEqual(['witness.example/w3']);
    // Older clients read the same note: the cosignatures are signatures by keys they do not know.
    expect(openNote(note, [log]).verified).toHaveLength(1);
  });

  it('is never mistaken for a plain note signature by the same seed', () => {
    const plain = parseSignerKey(generateNoteKey('witness.example/w1', seed(2)).signerKey);
    const note = signCheckpoint({ origin: 'custodia.example/log', size: 42, rootHash: root }, [log]) + cosignCheckpoint(text, w1, 1_790_000_000);
    expect(openNote(note, [log, plain]).verified.map((s) => s.name)).toEqual(['custodia.example/log']);
    expect(decodeBase64(note.trim().split(' ').pop()!, 'x')).toHaveLength(4 + 8 + 64);
  });
});
