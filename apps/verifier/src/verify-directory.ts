import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Checkpoint,
  decodeEntryBundle,
  entryBundlePath,
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  rootFromLeafHashes,
  rootFromTiles,
  TILE_WIDTH,
  tilePath,
  TlogError,
} from '@custodia/tlog';
import { equalBytes, VerificationFailure } from './failure.js';
import { type TrustedState, checkAgainstState } from './trusted-state.js';

export interface Verified {
  checkpoint: Checkpoint;
  entries: number;
}

/**
 * Verifies a C2SP tlog-tiles log kept in a folder, trusting nothing but the verifier key:
 * the checkpoint's signature, every entry against its leaf hash in the level-0 tiles, the root
 * recomputed from the entries and from the hash tiles, and — given the last trusted checkpoint —
 * that the log only grew since then.
 */
export function verifyDirectory(options: {
  dir: string;
  verifierKey: string;
  checkpointFile?: string;
  trusted?: TrustedState;
}): Verified {
  const verifier = guard('the verifier key', () => parseVerifierKey(options.verifierKey));
  const checkpointPath = options.checkpointFile ?? join(options.dir, 'checkpoint');
  const note = readFile(checkpointPath, 'checkpoint');
  const { checkpoint } = guard('the checkpoint', () => openCheckpoint(note, [verifier], verifier.name));

  const leafHashes = readLeafHashes(options.dir, checkpoint.size);
  const readTile = (tile: Parameters<typeof tilePath>[0]) => {
    const path = join(options.dir, tilePath(tile));
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  };
  compareWithLevelZeroTiles(leafHashes, readTile);

  if (!equalBytes(rootFromLeafHashes(leafHashes), checkpoint.rootHash)) {
    throw new VerificationFailure('the entries do not produce the signed root hash');
  }
  const tileRoot = guard('the hash tiles', () => rootFromTiles(checkpoint.size, readTile));
  if (!equalBytes(tileRoot, checkpoint.rootHash)) {
    throw new VerificationFailure('the hash tiles do not produce the signed root hash');
  }
  if (options.trusted) checkAgainstState(options.trusted, checkpoint, leafHashes);
  return { checkpoint, entries: leafHashes.length };
}

function readLeafHashes(dir: string, size: number): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let bundle = 0; bundle * TILE_WIDTH < size; bundle++) {
    const width = Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
    const path = entryBundlePath(bundle, width);
    const data = readFile(join(dir, path), `entry bundle ${path}`);
    const entries = guard(`entry bundle ${path}`, () => decodeEntryBundle(data, width), bundle * TILE_WIDTH);
    hashes.push(...entries.map(hashLeaf));
  }
  return hashes;
}

function compareWithLevelZeroTiles(leafHashes: Uint8Array[], readTile: (t: { level: number; index: number; width: number }) => Uint8Array | undefined): void {
  for (let tileIndex = 0; tileIndex * TILE_WIDTH < leafHashes.length; tileIndex++) {
    const width = Math.min(TILE_WIDTH, leafHashes.length - tileIndex * TILE_WIDTH);
    const tile = readTile({ level: 0, index: tileIndex, width });
    if (!tile) throw new VerificationFailure(`tile ${tilePath({ level: 0, index: tileIndex, width })} is missing`, tileIndex * TILE_WIDTH);
    for (let i = 0; i < width; i++) {
      const index = tileIndex * TILE_WIDTH + i;
      if (!equalBytes(tile.subarray(i * 32, i * 32 + 32), leafHashes[index])) {
        throw new VerificationFailure(`entry ${index} does not match its leaf hash in the tiles`, index);
      }
    }
  }
}

function readFile(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new VerificationFailure(`${what} not found at ${path}`);
  return new Uint8Array(readFileSync(path));
}

function guard<T>(what: string, work: () => T, index?: number): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TlogError) throw new VerificationFailure(`${what}: ${error.message}`, index);
    throw error;
  }
}
