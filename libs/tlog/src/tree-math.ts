import { TlogError } from './errors.js';

// Tree sizes and indexes are plain numbers, so the library handles trees of up to 2^53 - 1
// leaves (Number.MAX_SAFE_INTEGER). JavaScript bit operators work on 32 bits, so everything
// below uses arithmetic instead of shifts and masks.

export function assertTreeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TlogError('invalid-number', `${what} must be a non-negative integer below 2^53, got ${value}`);
  }
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

// RFC 9162 §2.1.1: "k is the largest power of two smaller than n", for n > 1.
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}
