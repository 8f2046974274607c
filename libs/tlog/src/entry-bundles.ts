import { TlogError } from './errors.js';
import { TILE_WIDTH } from './tile-paths.js';

const MAX_ENTRY_SIZE = 0xffff;

// C2SP tlog-tiles "Log entries": an entry bundle is 1 to 256 entries, each a big-endian
// uint16 length followed by that many bytes.
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  assertEntryCount(entries.length);
  const out = new Uint8Array(entries.reduce((n, e) => n + 2 + e.length, 0));
  let offset = 0;
  entries.forEach((entry, i) => {
    if (entry.length > MAX_ENTRY_SIZE) {
      throw new TlogError('bad-entry-bundle', `entry ${i} is ${entry.length} bytes, the limit is ${MAX_ENTRY_SIZE}`);
    }
    out[offset] = entry.length >> 8;
    out[offset + 1] = entry.length & 0xff;
    out.set(entry, offset + 2);
    offset += 2 + entry.length;
  });
  return out;
}

// With `expectedWidth`, the bundle must hold exactly that many entries (the width in its path).
// The entries are views into `data`, not copies.
export function decodeEntryBundle(data: Uint8Array, expectedWidth?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 2 > data.length) throw new TlogError('bad-entry-bundle', `truncated length prefix at byte ${offset}`);
    const length = (data[offset]! << 8) | data[offset + 1]!;
    const start = offset + 2;
    if (start + length > data.length) {
      throw new TlogError('bad-entry-bundle', `entry ${entries.length} needs ${length} bytes, only ${data.length - start} left`);
    }
    entries.push(data.subarray(start, start + length));
    offset = start + length;
  }
  assertEntryCount(entries.length);
  if (expectedWidth !== undefined && entries.length !== expectedWidth) {
    throw new TlogError('bad-entry-bundle', `bundle holds ${entries.length} entries, want ${expectedWidth}`);
  }
  return entries;
}

function assertEntryCount(count: number): void {
  if (count < 1 || count > TILE_WIDTH) {
    throw new TlogError('bad-entry-bundle', `a bundle holds 1 to ${TILE_WIDTH} entries, got ${count}`);
  }
}
