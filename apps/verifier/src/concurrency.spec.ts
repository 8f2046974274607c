import { describe, expect, it } from '@jest/globals';
import { forEachInOrder } from './concurrency.js';

/** A read that finishes when the test says so. */
function controlledReads() {
  const waiting = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  const started: number[] = [];
  const read = (item: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(item);
      waiting.set(item, { resolve, reject });
    });
  const settle = async () => new Promise((resolve) => setImmediate(resolve));
  return { read, started, waiting, settle };
}

describe('forEachInOrder', () => {
  it('uses the results in the items’ order however the reads finish, and reads ahead while one is used', async () => {
    const { read, started, waiting, settle } = controlledReads();
    const used: string[] = [];
    const done = forEachInOrder([0, 1, 2, 3, 4, 5], 3, read, (result) => used.push(result));
    await settle();
    expect(started).toEqual([0, 1, 2]);

    waiting.get(2)!.resolve('two');
    waiting.get(1)!.resolve('one');
    await settle();
    expect(used).toEqual([]); // the first is not in yet
    expect(started).toEqual([0, 1, 2]);

    waiting.get(0)!.resolve('zero');
    await settle();
    expect(used).toEqual(['zero', 'one', 'two']);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]); // each use started the next read

    for (const [item, word] of [[3, 'three'], [4, 'four'], [5, 'five']] as const) waiting.get(item)!.resolve(word);
    await done;
    expect(used).toEqual(['zero', 'one', 'two', 'three', 'four', 'five']);
  });

  it('never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await forEachInOrder(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (item) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, item % 3));
        inFlight--;
        return item;
      },
      () => undefined,
    );
    expect(most).toBe(4);
  });

  it('throws the first failure in order: a bad earlier item before a later read that failed sooner', async () => {
    const { read, waiting, settle } = controlledReads();
    const used: string[] = [];
    const done = forEachInOrder([0, 1, 2], 3, read, (result) => {
      if (result === 'bad') throw new Error('item 1 is bad');
      used.push(result);
    });
    await settle();
    waiting.get(2)!.reject(new Error('item 2 could not be read'));
    await settle();
    waiting.get(0)!.resolve('zero');
    waiting.get(1)!.resolve('bad');
    await expect(done).rejects.toThrow('item 1 is bad');
    expect(used).toEqual(['zero']);
  });

  it('starts nothing more once a read has failed in its turn', async () => {
    const { read, started, waiting, settle } = controlledReads();
    const done = forEachInOrder([0, 1, 2, 3, 4], 2, read, () => undefined);
    await settle();
    waiting.get(0)!.reject(new Error('item 0 could not be read'));
    await expect(done).rejects.toThrow('item 0 could not be read');
    await settle();
    expect(started).toEqual([0, 1]);
  });
});
