/** Verification failed: `index` names the first bad entry when one can be named. */
export class VerificationFailure extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
