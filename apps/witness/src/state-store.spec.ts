import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeBase64, parseNote } from '@custodia/tlog';
import { StateDirInUseError } from './state-lock.js';
import { formatStateFile, type LogState, StateFileError, stateFileName } from './state-file.js';
import { REFUSED_LOG, StateStore } from './state-store.js';
import { TestLog } from './testing/test-log.js';

const log = new TestLog('log.example/a', 1, 20);

function stateAt(size: number): LogState {
  const note = log.checkpoint(size);
  return { origin: log.origin, size, rootHash: log.root(size), checkpoint: parseNote(note).text, note, logKey: log.verifierKey, cosignedAt: 1_800_000_000 };
}

describe('StateStore', () => {
  let dir: string;
  let store: StateStore | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'witness-store-'));
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function reopen(): Promise<StateStore> {
    await store?.close();
    store = await StateStore.open(dir);
    return store;
  }

  it('keeps one file per origin, named by the SHA-256 of the origin, and reads it back after a restart', async () => {
    await (await reopen()).withOrigin(log.origin, () => store!.save(stateAt(7)));
    const file = `${createHash('sha256').update(log.origin).digest('hex')}.json`;
    expect(readdirSync(dir)).toContain(file);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, file), 'utf8'))).toMatchObject({
      format: 'custodia-witness-state/v1',
      origin: log.origin,
      size: 7,
      rootHash: encodeBase64(log.root(7)),
      cosignedAt: 1_800_000_000,
    });
    const reopened = await reopen();
    expect(reopened.latest(log.origin)).toEqual(stateAt(7));
  });

  it('replaces the file whole, leaving no temp file behind', async () => {
    await (await reopen()).save(stateAt(3));
    await store!.save(stateAt(9));
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect((await reopen()).latest(log.origin)?.size).toBe(9);
  });

  it('ignores a temp file a crash left before its rename: the state before it stands', async () => {
    await (await reopen()).save(stateAt(5));
    await store!.close();
    store = undefined;
    writeFileSync(join(dir, `${stateFileName(log.origin)}.tmp`), '{"format": "custodia-witn');
    expect((await reopen()).latest(log.origin)?.size).toBe(5);
  });

  it.each([
    ['not JSON', () => '{"format": "custodia-witness-state/v1", "size": 1'],
    ['a size that disagrees with its checkpoint', () => formatStateFile(stateAt(5)).replace('"size": 5', '"size": 6')],
    ['another format', () => formatStateFile(stateAt(5)).replace('state/v1', 'state/v9')],
    ['an empty file', () => ''],
  ])('refuses to open on a state file that is %s, naming the file', async (_, contents) => {
    const file = join(dir, stateFileName(log.origin));
    writeFileSync(file, contents());
    const opening = StateStore.open(dir);
    await expect(opening).rejects.toBeInstanceOf(StateFileError);
    await expect(opening).rejects.toThrow(file);
    // The lock was released: once the file is repaired the witness starts.
    writeFileSync(file, formatStateFile(stateAt(5)));
    expect((await reopen()).latest(log.origin)?.size).toBe(5);
  });

  it('refuses a state file whose name is not the hash of its origin', async () => {
    writeFileSync(join(dir, `${'0'.repeat(64)}.json`), formatStateFile(stateAt(5)));
    await expect(StateStore.open(dir)).rejects.toThrow(/not the SHA-256 of its origin/);
  });

  it('refuses a second store on the same folder while the first holds it', async () => {
    await reopen();
    await expect(StateStore.open(dir)).rejects.toBeInstanceOf(StateDirInUseError);
  });

  it('runs the work of one origin one at a time, in arrival order', async () => {
    await reopen();
    const events: string[] = [];
    const work = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      return name;
    };
    const failing = store!.withOrigin('a', async () => {
      throw new Error('boom');
    });
    const results = await Promise.all([store!.withOrigin('a', work('first', 30)), store!.withOrigin('a', work('second', 1)), failing.catch((e: Error) => e.message)]);
    expect(results).toEqual(['first', 'second', 'boom']);
    expect(events).toEqual(['first start', 'first end', 'second start', 'second end']);
  });

  it('appends refusals to refused.log, one JSON document per line', async () => {
    await reopen();
    const refused = { time: new Date().toISOString(), origin: log.origin, oldSize: 5, size: 5, rootHash: 'x', reason: 'fork', note: log.checkpoint(5) };
    await Promise.all([store!.recordRefusal(refused), store!.recordRefusal({ ...refused, size: 6 })]);
    const lines = readFileSync(join(dir, REFUSED_LOG), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.size)).toEqual([5, 6]);
  });
});
