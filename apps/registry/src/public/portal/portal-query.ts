/**
 * The portal's own query parameters, read strictly: a value that cannot be used is reported to
 * the reader, never quietly replaced by another (which would show something they did not ask for).
 */

/** The first value of a query parameter, trimmed; undefined when absent or blank. */
export function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
}

/** `?page=`: 1 when absent, a whole number from 1, or undefined when it is not one. */
export function pageNumber(value: unknown): number | undefined {
  const raw = single(value);
  if (raw === undefined) return 1;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

export interface ComparisonError {
  field: 'from' | 'to';
  /** notRevision: not the number of a published revision; order: the older one comes after the newer. */
  problem: 'notRevision' | 'order';
  value: string;
}

export interface Comparison {
  /** The revisions to compare; the defaults where a value was wrong (for the form). */
  from: number;
  to: number;
  errors: ComparisonError[];
}

/**
 * `?from=&to=` of a history page: two published revisions, the older first. Without them, the
 * latest revision and the one before it.
 */
export function comparison(query: Record<string, unknown>, published: readonly number[]): Comparison {
  const defaults = { to: published[published.length - 1], from: published[Math.max(0, published.length - 2)] };
  const errors: ComparisonError[] = [];
  const choose = (field: 'from' | 'to'): number => {
    const raw = single(query[field]);
    if (raw === undefined) return defaults[field];
    if (/^\d+$/.test(raw) && published.includes(Number(raw))) return Number(raw);
    errors.push({ field, problem: 'notRevision', value: raw });
    return defaults[field];
  };
  const from = choose('from');
  const to = choose('to');
  if (!errors.length && from > to) errors.push({ field: 'from', problem: 'order', value: String(from) });
  return { from, to, errors };
}
