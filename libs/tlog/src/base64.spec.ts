import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from './base64.js';
import { TlogError } from './errors.js';

describe('base64', () => {
  test('matches the standard padded encoding (RFC 4648 §4) both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Buffer.from(decodeBase64(text))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  test.each([
    ['Zg', 'missing padding'],
    ['Zh==', 'non-zero trailing bits'],
    ['Zm9=', 'non-zero trailing bits'],
    ['Zm9v\n', 'newline'],
    [' Zm9v', 'space'],
    ['Zm-v', 'URL-safe alphabet'],
    ['Zg===', 'too much padding'],
    ['=', 'padding only'],
  ])('rejects %j (%s)', (text) => {
    expect(() => decodeBase64(text)).toThrow(TlogError);
  });
});
