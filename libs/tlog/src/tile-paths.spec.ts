import fc from 'fast-check';
import { errorCode } from '../test-support/error-code.js';
import { entryBundlePath, parseTilePath, tileKey, tilePath } from './tile-paths.js';

describe('tile paths', () => {
  test('encode the index in 3-digit elements, all but the last prefixed with x (C2SP tlog-tiles)', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(tilePath({ level: 2, index: 999, width: 256 })).toBe('tile/2/999');
    expect(tilePath({ level: 1, index: 1000, width: 256 })).toBe('tile/1/x001/000');
    expect(tilePath({ level: 1, index: 0, width: 17 })).toBe('tile/1/000.p/17');
    expect(tilePath({ level: 63, index: 2 ** 53 - 1, width: 1 })).toBe('tile/63/x009/x007/x199/x254/x740/991.p/1');
    expect(entryBundlePath(1234067, 256)).toBe('tile/entries/x001/x234/067');
    expect(entryBundlePath(0, 5)).toBe('tile/entries/000.p/5');
  });

  test('tileKey tells tiles apart exactly as their paths do', () => {
    const coord = fc.record({ level: fc.integer({ min: 0, max: 63 }), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) });
    fc.assert(
      fc.property(coord, coord, (a, b) => {
        expect(tileKey(a) === tileKey(b)).toBe(tilePath(a) === tilePath(b));
      }),
    );
    expect(tileKey({ level: 0, index: 1, width: 256 })).not.toBe(tileKey({ level: 0, index: 1, width: 255 }));
    expect(tileKey({ level: 1, index: 11, width: 256 })).not.toBe(tileKey({ level: 11, index: 1, width: 256 }));
  });

  test('parse back to what they encode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.maxSafeNat(),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          expect(parseTilePath(tilePath({ level, index, width }))).toEqual({ kind: 'hashes', tile: { level, index, width } });
          expect(parseTilePath(entryBundlePath(index, width))).toEqual({ kind: 'entries', index, width });
        },
      ),
    );
  });

  test.each([
    ['tile/0/1', 'index not 3 digits'],
    ['tile/0/x000/001', 'non-canonical leading zero element'],
    ['tile/0/001/002', 'inner element without x'],
    ['tile/0/x001', 'last element with x'],
    ['tile/00/000', 'level with a leading zero'],
    ['tile/64/000', 'level above 63'],
    ['tile/0/000.p/0', 'width 0'],
    ['tile/0/000.p/010', 'width with a leading zero'],
    ['tile/0/000.p/256', 'full width written as partial'],
    ['tile/0/000.p/', 'empty width'],
    ['tile/0/000/', 'trailing slash'],
    ['/tile/0/000', 'leading slash'],
    ['tile/entry/000', 'unknown level name'],
    ['tile/0/x009/x007/x199/x254/x740/992', 'index beyond 2^53 - 1'],
  ])('reject %s (%s)', (path) => {
    expect(errorCode(() => parseTilePath(path))).toBe('bad-tile-path');
  });

  test('refuse to encode impossible tiles', () => {
    expect(errorCode(() => tilePath({ level: 0, index: 0, width: 0 }))).toBe('bad-tile-path');
    expect(errorCode(() => tilePath({ level: 0, index: 0, width: 257 }))).toBe('bad-tile-path');
    expect(errorCode(() => tilePath({ level: 64, index: 0, width: 1 }))).toBe('bad-tile-path');
    expect(errorCode(() => tilePath({ level: 0, index: -1, width: 1 }))).toBe('invalid-number');
  });
});
