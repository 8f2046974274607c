import { type Checkpoint, type Cosignature, decodeBase64, type NoteVerifier, openCheckpoint, parseVerifierKey, verifyConsistency } from '@custodia/tlog';
import { guard, VerificationFailure } from './failure.js';
import { RegistryClient } from './http-client.js';
import { type KeySource, pinKey } from './key-pinning.js';
import { checkPublicRecords, type PublicRecordKind } from './public-records.js';
import { httpSource } from './tile-source.js';
import { checkGrowth, checkPrefix, stateOf, type TrustedState } from './trusted-state.js';
import { type VerifiedTree, verifyTree } from './verify-tree.js';
import { checkWitnessed, type WitnessPolicy } from './witnesses.js';

export interface UrlOptions {
  /** The registry's base URL; the log is under <url>/log/ and the API under <url>/api/v1/. */
  url: string;
  /** The verifier key given on the command line. */
  key?: string;
  trusted?: TrustedState;
  /** With a trusted state: its entries were checked already (--follow), only those after are hashed again. */
  trustedEntriesChecked?: boolean;
  /** An oversight token: entry bundles, hence every entry's contents, are checked only with one. */
  token?: string;
  pendingWaitMs: number;
  kinds?: readonly PublicRecordKind[];
  /** Witnesses whose cosignatures a checkpoint needs, a quorum of them (--witness, --witness-quorum). */
  witnesses?: WitnessPolicy;
  /** Told when the check rests on something it could not verify (an unpinned key). */
  warn?: (message: string) => void;
}

export interface UrlVerified {
  tree: VerifiedTree;
  verifierKey: string;
  keySource: KeySource;
  publicRecords: number;
  /** The pinned witnesses' cosignatures on the checkpoint verified, with --witness. */
  cosigned?: Cosignature[];
  /** The state the log was checked against, and whether the server's consistency proof was checked too. */
  extended?: { trusted: TrustedState; proofChecked: boolean };
}

/**
 * Verifies a running registry from the outside, trusting nothing it serves but a pinned key:
 * the signed checkpoint, the tree under it (with a token, every entry too), growth since the
 * trusted state, and every public record against the log entry that recorded it.
 */
export async function verifyUrl(options: UrlOptions): Promise<UrlVerified> {
  const { trusted } = options;
  const client = new RegistryClient(options.url, options.token);
  const served = await servedKey(client);
  const { verifierKey, source: keySource } = pinKey({ given: options.key, trusted: trusted?.verifierKey, served: served.verifierKey });
  if (keySource === 'first use') {
    options.warn?.(`the log's key is not pinned: trusting the key the server presents, ${verifierKey}. Pin it with --key, or keep a --state file.`);
  }
  const verifier = guard('the verifier key', () => parseVerifierKey(verifierKey));
  if (served.origin !== verifier.name) {
    throw new VerificationFailure(`the server names its log ${served.origin}, but its key is for ${verifier.name}`);
  }

  const source = httpSource(client);
  const entries = client.hasToken;
  let cosigned: Cosignature[] | undefined;
  const fetchCheckpoint = async () => {
    const got = await checkpointOf(client, verifier, options.witnesses);
    cosigned = got.cosigned;
    return got.checkpoint;
  };
  const verifyExtending = async (earlier: TrustedState, entriesFrom?: number) => {
    const checkpoint = await fetchCheckpoint();
    checkGrowth(earlier, checkpoint);
    const tree = await verifyTree(source, checkpoint, { entries, entriesFrom });
    const proofChecked = await checkExtension(client, earlier, tree);
    return { tree, proofChecked };
  };

  let first: { tree: VerifiedTree; proofChecked: boolean };
  if (trusted) {
    first = await verifyExtending(trusted, options.trustedEntriesChecked ? trusted.size : undefined);
  } else {
    const checkpoint = await fetchCheckpoint();
    first = { tree: await verifyTree(source, checkpoint, { entries }), proofChecked: false };
  }
  const refresh = async () => {
    const earlier = first.tree.checkpoint;
    return (await verifyExtending(stateOf(earlier, verifierKey), earlier.size)).tree;
  };
  const records = await checkPublicRecords(client, { tree: first.tree, refresh }, { kinds: options.kinds, pendingWaitMs: options.pendingWaitMs });
  return {
    tree: records.tree,
    verifierKey,
    keySource,
    publicRecords: records.checked,
    cosigned,
    extended: trusted ? { trusted, proofChecked: first.proofChecked } : undefined,
  };
}

async function servedKey(client: RegistryClient): Promise<{ origin: string; verifierKey: string }> {
  const served = (await client.json('/api/v1/log/key')) as { origin?: unknown; verifierKey?: unknown } | null;
  if (typeof served?.origin !== 'string' || typeof served.verifierKey !== 'string') {
    throw new VerificationFailure(`${client.url('/api/v1/log/key')} is not {origin, verifierKey}`);
  }
  return { origin: served.origin, verifierKey: served.verifierKey };
}

/**
 * The signed checkpoint, and with witnesses its quorum of cosignatures: a checkpoint just made
 * may still be waiting for them, so it is asked again (once a second) for up to waitMs.
 */
async function checkpointOf(client: RegistryClient, verifier: NoteVerifier, witnesses?: WitnessPolicy): Promise<{ checkpoint: Checkpoint; cosigned?: Cosignature[] }> {
  if (!witnesses) {
    const note = await client.bytes('/log/checkpoint');
    return { checkpoint: guard('the checkpoint', () => openCheckpoint(note, [verifier], verifier.name)).checkpoint };
  }
  const deadline = Date.now() + witnesses.waitMs;
  for (;;) {
    const note = await client.bytes('/log/checkpoint');
    try {
      return checkWitnessed(note, verifier, witnesses);
    } catch (error) {
      if (!(error instanceof VerificationFailure) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * The tree's own tiles must show the trusted tree as its prefix (a FORK otherwise); then, as a
 * second and independent check, the server's RFC 9162 §2.1.4 consistency proof must verify.
 * Returns whether there was a proof to check (none is needed from size 0 or between equal sizes).
 */
async function checkExtension(client: RegistryClient, trusted: TrustedState, tree: VerifiedTree): Promise<boolean> {
  checkPrefix(trusted, tree.leafHashes);
  const { size, rootHash } = tree.checkpoint;
  if (trusted.size === 0 || trusted.size === size) return false;
  const path = `/api/v1/log/proofs/consistency?from=${trusted.size}&to=${size}`;
  const proof = (await client.json(path)) as { from?: unknown; to?: unknown; hashes?: unknown } | null;
  if (proof?.from !== trusted.size || proof.to !== size || !Array.isArray(proof.hashes) || !proof.hashes.every((h) => typeof h === 'string')) {
    throw new VerificationFailure(`${client.url(path)} is not a consistency proof {from, to, hashes} from ${trusted.size} to ${size}`);
  }
  const what = `the server's consistency proof from ${trusted.size} to ${size}`;
  const hashes = guard(what, () => (proof.hashes as string[]).map((h) => decodeBase64(h)));
  guard(what, () => verifyConsistency(trusted.size, size, hashes, decodeBase64(trusted.rootHash), rootHash));
  return true;
}
