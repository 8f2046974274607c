import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Checkpoint, decodeBase64, encodeBase64, HASH_SIZE, rootFromLeafHashes } from '@custodia/tlog';
import { equalBytes, VerificationFailure } from './failure.js';

/** The last checkpoint this verifier accepted, and the key it trusts: trust on first use, then only growth. */
export interface TrustedState {
  origin: string;
  size: number;
  rootHash: string;
  /** Absent in state files written before keys were remembered. */
  verifierKey?: string;
}

export function readState(path: string): TrustedState | undefined {
  if (!existsSync(path)) return undefined;
  let state: TrustedState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as TrustedState;
  } catch {
    throw new Error(`${path} is not a verifier state file (not JSON)`);
  }
  const keyOk = state.verifierKey === undefined || typeof state.verifierKey === 'string';
  if (typeof state.origin !== 'string' || !Number.isSafeInteger(state.size) || !isHash(state.rootHash) || !keyOk) {
    throw new Error(`${path} is not a verifier state file`);
  }
  return state;
}

function isHash(base64: unknown): boolean {
  try {
    return typeof base64 === 'string' && decodeBase64(base64).length === HASH_SIZE;
  } catch {
    return false;
  }
}

export function stateOf(checkpoint: Checkpoint, verifierKey: string): TrustedState {
  return { origin: checkpoint.origin, size: checkpoint.size, rootHash: encodeBase64(checkpoint.rootHash), verifierKey };
}

export function writeState(path: string, state: TrustedState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Same log, and no smaller than before; checked before anything is fetched for the tree. */
export function checkGrowth(trusted: TrustedState, checkpoint: Checkpoint): void {
  if (trusted.origin !== checkpoint.origin) {
    throw new VerificationFailure(`the state file is for log ${trusted.origin}, not ${checkpoint.origin}`);
  }
  if (checkpoint.size < trusted.size) {
    throw new VerificationFailure(`ROLLBACK: the log shrank from ${trusted.size} to ${checkpoint.size} entries`);
  }
}

/** The first `trusted.size` leaves of the verified tree must still produce the trusted root. */
export function checkPrefix(trusted: TrustedState, leafHashes: Uint8Array[]): void {
  const earlier = rootFromLeafHashes(leafHashes.slice(0, trusted.size));
  if (!equalBytes(earlier, decodeBase64(trusted.rootHash, 'trusted root hash'))) {
    throw new VerificationFailure(`FORK: the first ${trusted.size} entries no longer produce the root trusted before`);
  }
}

/**
 * The log must extend what was trusted before: same origin, no smaller, and its first
 * `trusted.size` leaves must still produce the trusted root. Anything else is a fork or a
 * rollback, reported loudly.
 */
export function checkAgainstState(trusted: TrustedState, checkpoint: Checkpoint, leafHashes: Uint8Array[]): void {
  checkGrowth(trusted, checkpoint);
  checkPrefix(trusted, leafHashes);
}
