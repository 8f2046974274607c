import { type Checkpoint, type Cosignature, type NoteVerifier, openWitnessedCheckpoint, parseCosignerKey } from '@custodia/tlog';
import { guard, VerificationFailure } from './failure.js';

/** The witnesses pinned on the command line and how many must have cosigned (C2SP tlog-cosignature). */
export interface WitnessPolicy {
  witnesses: NoteVerifier[];
  quorum: number;
  /** How long to wait for cosignatures still on their way to a new checkpoint. */
  waitMs: number;
}

export function witnessPolicy(keys: readonly string[], quorum: number | undefined, waitMs: number): WitnessPolicy | undefined {
  if (keys.length === 0) return undefined;
  const witnesses = keys.map((key) => guard(`the witness key ${key}`, () => parseCosignerKey(key)));
  return { witnesses, quorum: quorum ?? witnesses.length, waitMs };
}

/**
 * Opens a checkpoint signed by the log and checks its cosignatures against the pinned witnesses:
 * fewer than the quorum that verify and the checkpoint is refused, naming the witnesses missing
 * and those whose line does not verify. A split view shows here: a witness never cosigns a
 * second tree of one size, so the forked client's checkpoint lacks its cosignature.
 */
export function checkWitnessed(note: Uint8Array, log: NoteVerifier, policy: WitnessPolicy): { checkpoint: Checkpoint; cosigned: Cosignature[] } {
  const opened = guard('the checkpoint', () => openWitnessedCheckpoint(note, log, policy.witnesses, log.name));
  if (opened.cosigned.length >= policy.quorum) return { checkpoint: opened.checkpoint, cosigned: opened.cosigned };
  const missing = opened.missing.map((w) => w.name);
  const invalid = opened.invalid.map((i) => `${i.cosigner.name} (${i.reason})`);
  throw new VerificationFailure(
    `the checkpoint of size ${opened.checkpoint.size} has ${opened.cosigned.length} valid cosignature${opened.cosigned.length === 1 ? '' : 's'} ` +
      `of the ${policy.quorum} required` +
      (missing.length ? `; not cosigned by ${missing.join(', ')}` : '') +
      (invalid.length ? `; invalid: ${invalid.join(', ')}` : '') +
      '. A witness that has not cosigned may be behind, or may have refused this tree (a split view): ask its operator.',
  );
}
