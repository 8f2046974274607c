import { TlogError } from '../src/errors.js';

// The code of the TlogError that fn throws, or undefined if it returns. Any other exception
// propagates, so a TypeError can never pass for a deliberate rejection.
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlogError) return e.code;
    throw e;
  }
  return undefined;
}
