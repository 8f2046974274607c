import {
  consistencyProofFromLeaves,
  encodeBase64,
  generateCosignerKey,
  generateNoteKey,
  hashLeaf,
  type NoteSigner,
  parseCosignerKey,
  parseCosignerSignerKey,
  parseSignerKey,
  parseVerifierKey,
  rootFromLeafHashes,
  signCheckpoint,
} from '@custodia/tlog';

// A log for the witness's tests: real leaves, real roots and proofs, real signatures.

export class TestLog {
  readonly signer: NoteSigner;
  readonly verifierKey: string;
  private readonly leaves: Uint8Array[];

  /** `entries` tells two histories of one log (one key) apart: a fork. */
  constructor(
    readonly origin = 'log.example/custodia',
    seedByte = 1,
    size = 0,
    private readonly entries = 'entry',
  ) {
    const { signerKey, verifierKey } = generateNoteKey(origin, new Uint8Array(32).fill(seedByte));
    this.signer = parseSignerKey(signerKey);
    this.verifierKey = verifierKey;
    this.leaves = Array.from({ length: size }, (_, i) => this.leaf(i));
  }

  get verifier() {
    return parseVerifierKey(this.verifierKey);
  }

  grow(to: number): this {
    while (this.leaves.length < to) this.leaves.push(this.leaf(this.leaves.length));
    return this;
  }

  root(size: number): Uint8Array {
    return rootFromLeafHashes(this.leaves.slice(0, size));
  }

  checkpoint(size: number, signers: readonly NoteSigner[] = [this.signer]): string {
    return signCheckpoint({ origin: this.origin, size, rootHash: this.root(size) }, signers);
  }

  proof(from: number, to: number): Uint8Array[] {
    return from === 0 || from === to ? [] : consistencyProofFromLeaves(from, this.leaves.slice(0, to));
  }

  /** An add-checkpoint body from `old` to `size`, with the honest proof unless one is given. */
  body(old: number, size: number, proof = this.proof(old, size), note = this.checkpoint(size)): string {
    return addCheckpointBody(old, proof, note);
  }

  private leaf(i: number): Uint8Array {
    return hashLeaf(new TextEncoder().encode(`${this.entries} ${i}`));
  }
}

export function addCheckpointBody(old: number | string, proof: readonly Uint8Array[], note: string): string {
  return `old ${old}\n${proof.map((hash) => `${encodeBase64(hash)}\n`).join('')}\n${note}`;
}

export function testWitnessKey(name = 'witness.example/w1', seedByte = 9) {
  const { signerKey, verifierKey } = generateCosignerKey(name, new Uint8Array(32).fill(seedByte));
  return { signerKey, verifierKey, signer: parseCosignerSignerKey(signerKey), verifier: parseCosignerKey(verifierKey) };
}

export interface Posted {
  status: number;
  contentType: string;
  text: string;
}

export async function postCheckpoint(url: string, body: string): Promise<Posted> {
  const response = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

export function flipBit(hash: Uint8Array): Uint8Array {
  const copy = hash.slice();
  copy[0]! ^= 1;
  return copy;
}
