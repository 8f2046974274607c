import { type NoteVerifier, parseVerifierKey } from '@custodia/tlog';

/** A log the witness cosigns for: its origin line and the keys it may sign checkpoints with. */
export interface TrustedLog {
  origin: string;
  keys: Array<{ verifierKey: string; verifier: NoteVerifier }>;
}

/**
 * The logs of the --log options, by origin. A log's origin is its key's name, as C2SP
 * tlog-checkpoint recommends (and as the registry signs); several keys of one origin are one
 * log (a key rotation), with one state.
 */
export function trustLogs(verifierKeys: readonly string[]): Map<string, TrustedLog> {
  const logs = new Map<string, TrustedLog>();
  for (const verifierKey of verifierKeys) {
    let verifier: NoteVerifier;
    try {
      verifier = parseVerifierKey(verifierKey.trim());
    } catch (error) {
      throw new Error(`--log ${verifierKey} is not a log's Ed25519 verifier key (<origin>+<key ID>+<key>): ${(error as Error).message}`, { cause: error });
    }
    const log = logs.get(verifier.name) ?? { origin: verifier.name, keys: [] };
    // Two keys with one name and key ID would make every signature of that ID ambiguous.
    if (log.keys.some((key) => key.verifier.keyId === verifier.keyId)) throw new Error(`--log ${verifierKey} is given twice`);
    log.keys.push({ verifierKey: verifierKey.trim(), verifier });
    logs.set(verifier.name, log);
  }
  return logs;
}
