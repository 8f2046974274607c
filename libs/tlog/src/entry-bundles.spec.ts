import fc from 'fast-check';
import { errorCode } from '../test-support/error-code.js';
import { decodeEntryBundle, encodeEntryBundle } from './entry-bundles.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('entry bundles', () => {
  test('prefix each entry with its big-endian uint16 length (C2SP tlog-tiles "Log entries")', () => {
    const bundle = encodeEntryBundle([ascii('one'), ascii('two'), new Uint8Array(0), new Uint8Array(0x1234)]);
    expect(Buffer.from(bundle.subarray(0, 13)).toString('hex')).toBe('00036f6e65000374776f000012');
    expect(bundle[13]).toBe(0x34);
    expect(bundle.length).toBe(5 + 5 + 2 + 2 + 0x1234);
  });

  test('decode what they encode, for 1 to 256 entries of any size up to 65,535 bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
        fc.boolean(),
        (entries, withLargest) => {
          const all = withLargest ? [...entries.slice(0, 255), new Uint8Array(0xffff).fill(7)] : entries;
          const decoded = decodeEntryBundle(encodeEntryBundle(all), all.length);
          expect(decoded.map((e) => Buffer.from(e))).toEqual(all.map((e) => Buffer.from(e)));
        },
      ),
      { numRuns: 50 },
    );
  });

  test('refuse entries over 65,535 bytes and bundles of 0 or more than 256 entries', () => {
    expect(errorCode(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe('bad-entry-bundle');
    expect(errorCode(() => encodeEntryBundle([]))).toBe('bad-entry-bundle');
    expect(errorCode(() => encodeEntryBundle(Array.from({ length: 257 }, () => ascii('x'))))).toBe('bad-entry-bundle');
    expect(errorCode(() => decodeEntryBundle(new Uint8Array(0)))).toBe('bad-entry-bundle');
    const tooMany = encodeEntryBundle(Array.from({ length: 256 }, () => ascii('x')));
    expect(errorCode(() => decodeEntryBundle(Uint8Array.of(...tooMany, 0, 1, 0x78)))).toBe('bad-entry-bundle');
  });

  test('reject truncated bundles and a count that differs from the expected width', () => {
    const bundle = encodeEntryBundle([ascii('one'), ascii('two')]);
    expect(errorCode(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1)))).toBe('bad-entry-bundle');
    expect(errorCode(() => decodeEntryBundle(Uint8Array.of(...bundle, 0)))).toBe('bad-entry-bundle');
    expect(errorCode(() => decodeEntryBundle(bundle, 3))).toBe('bad-entry-bundle');
    expect(decodeEntryBundle(bundle, 2)).toHaveLength(2);
  });
});
