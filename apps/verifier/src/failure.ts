import { TlogError } from '@custodia/tlog';

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

/** Runs library code, turning its rejections into failures that say what was being checked. */
export function guard<T>(what: string, work: () => T, index?: number): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TlogError) throw new VerificationFailure(`${what}: ${error.message}`, index);
    throw error;
  }
}
