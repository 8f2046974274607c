import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint, parseVerifierKey } from '@custodia/tlog';
import { guard, VerificationFailure } from './failure.js';
import { pinKey } from './key-pinning.js';
import { directorySource } from './tile-source.js';
import { checkGrowth, checkPrefix, type TrustedState } from './trusted-state.js';
import { type VerifiedTree, verifyTree } from './verify-tree.js';

/**
 * Verifies a C2SP tlog-tiles log kept in a folder, trusting nothing but the verifier key:
 * the checkpoint's signature, every entry against its leaf hash in the level-0 tiles, the root
 * recomputed from the entries and from the hash tiles, and — given the last trusted checkpoint —
 * that the log only grew since then.
 */
export async function verifyDirectory(options: {
  dir: string;
  verifierKey: string;
  checkpointFile?: string;
  trusted?: TrustedState;
}): Promise<VerifiedTree> {
  const { trusted } = options;
  const { verifierKey } = pinKey({ given: options.verifierKey, trusted: trusted?.verifierKey });
  const verifier = guard('the verifier key', () => parseVerifierKey(verifierKey));
  const checkpointPath = options.checkpointFile ?? join(options.dir, 'checkpoint');
  if (!existsSync(checkpointPath)) throw new VerificationFailure(`checkpoint not found at ${checkpointPath}`);
  const note = new Uint8Array(readFileSync(checkpointPath));
  const { checkpoint } = guard('the checkpoint', () => openCheckpoint(note, [verifier], verifier.name));

  if (trusted) checkGrowth(trusted, checkpoint);
  const tree = await verifyTree(directorySource(options.dir), checkpoint, { entries: true });
  if (trusted) checkPrefix(trusted, tree.leafHashes);
  return tree;
}
