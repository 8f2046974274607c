import { decodeEntryBundle, HASH_SIZE, hashLeaf, rootFromLeafHashes, TILE_WIDTH, TlogError } from '@custodia/tlog';
import { equalBytes } from './failure.js';

/** One entry bundle to check against the level-0 tile of the same leaves. */
export interface BundleTask {
  /** The bundle's bytes as read; with `full`, those of the full bundle standing in for a partial one that is gone. */
  data: Uint8Array;
  full: boolean;
  /** The path read, for the failure's message. */
  path: string;
  /** Index of the bundle's first entry, and how many entries the tree has in it. */
  first: number;
  width: number;
  /** The level-0 tile's bytes: the leaf hashes the entries must hash to. */
  tile: Uint8Array;
}

/**
 * What a bundle showed: on failure the message and the first bad entry, as VerificationFailure
 * takes them; otherwise, for a full bundle, the root of its tile's leaf hashes (the hash of
 * the level-1 tile above it must equal it).
 */
export type BundleResult = { ok: true; root?: Uint8Array } | { ok: false; message: string; index: number };

/**
 * Decodes a bundle, hashes each entry and compares it with its leaf hash, in order, so that an
 * entry removed from the middle is named, not the bundle. Pure, so that it runs the same on a
 * worker thread (hash-worker.ts) as in the calling one.
 */
export function checkBundle(task: BundleTask): BundleResult {
  const { first, width, tile } = task;
  let entries: Uint8Array[];
  try {
    // Decoded without insisting on `width`, so that the first entry that is off is named.
    entries = task.full ? decodeEntryBundle(task.data, TILE_WIDTH).slice(0, width) : decodeEntryBundle(task.data);
  } catch (error) {
    if (error instanceof TlogError) return { ok: false, message: `entry bundle ${task.path}: ${error.message}`, index: first };
    throw error;
  }
  const count = Math.min(width, entries.length);
  for (let j = 0; j < count; j++) {
    if (!equalBytes(hashLeaf(entries[j]!), tile.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE))) {
      return { ok: false, message: `entry ${first + j} does not match its leaf hash in the tiles`, index: first + j };
    }
  }
  if (entries.length < width) return { ok: false, message: `entry ${first + entries.length} is missing from its entry bundle`, index: first + entries.length };
  if (entries.length > width) return { ok: false, message: `entry bundle ${first / TILE_WIDTH} holds ${entries.length} entries, want ${width}`, index: first + width };
  if (width < TILE_WIDTH) return { ok: true };
  const hashes = Array.from({ length: TILE_WIDTH }, (_, k) => tile.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE));
  return { ok: true, root: rootFromLeafHashes(hashes) };
}
