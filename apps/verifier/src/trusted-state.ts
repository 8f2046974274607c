import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Checkpoint, decodeBase64, encodeBase64, rootFromLeafHashes } from '@custodia/tlog';
import { equalBytes, VerificationFailure } from './failure.js';

/** The last checkpoint this verifier accepted: trust on first use, then only growth. */
export interface TrustedState {
  origin: string;
  size: number;
  rootHash: string;
}

export function readState(path: string): TrustedState | undefined {
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, 'utf8')) as TrustedState;
  if (typeof state.origin !== 'string' || !Number.isSafeInteger(state.size) || typeof state.rootHash !== 'string') {
    throw new Error(`${path} is not a verifier state file`);
  }
  return state;
}

export function writeState(path: string, checkpoint: Checkpoint): void {
  const state: TrustedState = { origin: checkpoint.origin, size: checkpoint.size, rootHash: encodeBase64(checkpoint.rootHash) };
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * The log must extend what was trusted before: same origin, no smaller, and its first
 * `trusted.size` leaves must still produce the trusted root. Anything else is a fork or a
 * rollback, reported loudly.
 */
export function checkAgainstState(trusted: TrustedState, checkpoint: Checkpoint, leafHashes: Uint8Array[]): void {
  if (trusted.origin !== checkpoint.origin) {
    throw new VerificationFailure(`the state file is for log ${trusted.origin}, not ${checkpoint.origin}`);
  }
  if (checkpoint.size < trusted.size) {
    throw new VerificationFailure(`ROLLBACK: the log shrank from ${trusted.size} to ${checkpoint.size} entries`);
  }
  const earlier = rootFromLeafHashes(leafHashes.slice(0, trusted.size));
  if (!equalBytes(earlier, decodeBase64(trusted.rootHash))) {
    throw new VerificationFailure(`FORK: the first ${trusted.size} entries no longer produce the root trusted before`);
  }
}
