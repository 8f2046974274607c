/** Maps `items` through `work` with at most `limit` calls in flight; results keep their order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (error) {
        // Stop the other workers taking more items; the first error is the one reported.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Runs `work` over `items` with up to `limit` calls in flight, and hands each result to `use` in
 * the items' order, as soon as it and every one before it are in: the next items are being
 * read while one is checked. The first error in that order is the one thrown, after `use` has
 * seen every item before it; nothing more is started then.
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  use: (result: R, item: T) => void,
): Promise<void> {
  const inFlight: Array<Promise<R>> = [];
  let next = 0;
  const start = () => {
    const call = work(items[next++]!);
    call.catch(() => undefined); // seen in its turn below, not as an unhandled rejection
    inFlight.push(call);
  };
  while (next < items.length && inFlight.length < limit) start();
  for (const item of items) {
    const result = await inFlight.shift()!;
    if (next < items.length) start();
    use(result, item);
  }
}
