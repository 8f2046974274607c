// Every rejection in this library is a TlogError; `code` says why, `message` gives the detail.
export type TlogErrorCode =
  // A size or index that is not a safe non-negative integer (the bound is 2^53 - 1).
  | 'invalid-number'
  // A hash that is not exactly 32 bytes.
  | 'bad-hash-length'
  // Inclusion: index >= tree size.
  | 'index-out-of-range'
  // Consistency: size1 > size2.
  | 'sizes-out-of-order'
  // Consistency from size 0: there is nothing to prove (see consistencyProof).
  | 'size-zero'
  // A proof with too many or too few hashes for its sizes.
  | 'proof-length'
  // A proof that does not lead to the expected root(s).
  | 'root-mismatch'
  | 'bad-tile-path'
  | 'bad-tile'
  | 'missing-tile'
  | 'bad-entry-bundle'
  | 'bad-base64'
  | 'malformed-key'
  | 'malformed-note'
  | 'invalid-signature'
  | 'ambiguous-key'
  | 'no-verified-signature'
  | 'malformed-checkpoint'
  | 'origin-mismatch'
  // A cosignature that is not a C2SP tlog-cosignature v1 line, or does not verify.
  | 'malformed-cosignature'
  | 'invalid-cosignature';

export class TlogError extends Error {
  constructor(
    readonly code: TlogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TlogError';
  }
}
