import { errorCode } from '../test-support/error-code.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from './note-keys.js';
import { signNote } from './note.js';

// The example body from C2SP tlog-checkpoint.
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_ROOT = new Uint8Array(Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'));

describe('checkpoint bodies', () => {
  test('format and parse the C2SP tlog-checkpoint example', () => {
    expect(formatCheckpoint({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: SPEC_ROOT })).toBe(SPEC_BODY);
    expect(parseCheckpoint(SPEC_BODY)).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      rootHash: SPEC_ROOT,
      extensions: [],
    });
  });

  test('carry extension lines and the empty tree', () => {
    const checkpoint = { origin: 'o', size: 0, rootHash: SPEC_ROOT, extensions: ['ext one', 'ext two'] };
    const body = formatCheckpoint(checkpoint);
    expect(body).toBe(`o\n0\n${Buffer.from(SPEC_ROOT).toString('base64')}\next one\next two\n`);
    expect(parseCheckpoint(body)).toEqual(checkpoint);
    expect(parseCheckpoint('o\n9007199254740991\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n').size).toBe(2 ** 53 - 1);
  });

  test.each([
    ['no final newline', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='],
    ['only two lines', 'o\n1\n'],
    ['an empty origin', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a leading zero', 'o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a signed size', 'o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['an exponent', 'o\n1e3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a space in the size', 'o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a size beyond 2^53 - 1', 'o\n9007199254740992\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a root that is not base64', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n'],
    ['a 31-byte root', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n'],
    ['an empty extension line', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'],
    ['a tab', 'o\t\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
  ])('parsing rejects %s', (_, body) => {
    expect(errorCode(() => parseCheckpoint(body))).toBe('malformed-checkpoint');
  });

  test('formatting refuses what parsing would reject', () => {
    const ok = { origin: 'o', size: 1, rootHash: SPEC_ROOT };
    expect(errorCode(() => formatCheckpoint({ ...ok, origin: '' }))).toBe('malformed-checkpoint');
    expect(errorCode(() => formatCheckpoint({ ...ok, origin: 'a\nb' }))).toBe('malformed-checkpoint');
    expect(errorCode(() => formatCheckpoint({ ...ok, size: -1 }))).toBe('malformed-checkpoint');
    expect(errorCode(() => formatCheckpoint({ ...ok, size: 2 ** 53 }))).toBe('malformed-checkpoint');
    expect(errorCode(() => formatCheckpoint({ ...ok, rootHash: new Uint8Array(31) }))).toBe('malformed-checkpoint');
    expect(errorCode(() => formatCheckpoint({ ...ok, extensions: [''] }))).toBe('malformed-checkpoint');
  });
});

describe('signed checkpoints', () => {
  const keys = generateNoteKey('custodia.example/log', new Uint8Array(32).fill(1));
  const signer = parseSignerKey(keys.signerKey);
  const verifier = parseVerifierKey(keys.verifierKey);
  const checkpoint = { origin: 'custodia.example/log', size: 42, rootHash: SPEC_ROOT, extensions: [] };

  test('open to the checkpoint that was signed, checking the origin when asked', () => {
    const note = signCheckpoint(checkpoint, [signer]);
    expect(note.startsWith(formatCheckpoint(checkpoint))).toBe(true);
    expect(openCheckpoint(note, [verifier], 'custodia.example/log').checkpoint).toEqual(checkpoint);
    expect(errorCode(() => openCheckpoint(note, [verifier], 'other.example/log'))).toBe('origin-mismatch');
  });

  test('are rejected when the body was changed or no known key signed it', () => {
    const note = signCheckpoint(checkpoint, [signer]);
    expect(errorCode(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), [verifier]))).toBe('invalid-signature');
    const other = parseVerifierKey(generateNoteKey('custodia.example/log', new Uint8Array(32).fill(2)).verifierKey);
    expect(errorCode(() => openCheckpoint(note, [other]))).toBe('no-verified-signature');
  });

  test('a correctly signed note whose text is not a checkpoint is rejected', () => {
    expect(errorCode(() => openCheckpoint(signNote('custodia.example/log\n42\n', [signer]), [verifier]))).toBe(
      'malformed-checkpoint',
    );
  });
});
