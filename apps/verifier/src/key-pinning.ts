import { parseVerifierKey } from '@custodia/tlog';
import { equalBytes, guard, VerificationFailure } from './failure.js';

/** Where the key that checks the signatures came from. */
export type KeySource = 'option' | 'state' | 'first use';

export interface PinnedKey {
  verifierKey: string;
  source: KeySource;
}

/**
 * Chooses the verifier key: the one given on the command line, else the one the state file
 * trusted, else (first use) the one the server presents. The server's key must be the pinned
 * one: a log whose key changes is a different log as far as its past signatures go.
 */
export function pinKey(keys: { given?: string; trusted?: string; served?: string }): PinnedKey {
  const { given, trusted, served } = keys;
  if (given !== undefined && trusted !== undefined && !sameKey(given, trusted, '--key')) {
    throw new VerificationFailure(
      `the log's key changed: the state file trusts ${trusted}, --key gives ${given} (if the log's key was really replaced, start a new state file)`,
    );
  }
  const pinned = given ?? trusted;
  if (pinned === undefined) {
    if (served === undefined) throw new VerificationFailure('no verifier key: pass --key');
    guard("the server's verifier key", () => parseVerifierKey(served));
    return { verifierKey: served, source: 'first use' };
  }
  if (served !== undefined && !sameKey(pinned, served, "the server's verifier key")) {
    if (given !== undefined) throw new VerificationFailure(`the server presents the verifier key ${served}, not the pinned key ${given}`);
    throw new VerificationFailure(`the log's key changed: the state file trusts ${pinned}, the server now presents ${served}`);
  }
  return { verifierKey: pinned, source: given !== undefined ? 'option' : 'state' };
}

// Same name and public key; the spelling of the key ID's hex digits does not matter.
function sameKey(pinned: string, other: string, otherName: string): boolean {
  const a = guard('the verifier key', () => parseVerifierKey(pinned));
  const b = guard(otherName, () => parseVerifierKey(other));
  return a.name === b.name && equalBytes(a.publicKey, b.publicKey);
}
