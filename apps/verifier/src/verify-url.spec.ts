import { afterEach, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { encodeBase64, generateNoteKey, hashLeaf } from '@custodia/tlog';
import { VerificationFailure } from './failure.js';
import { HttpFailure } from './http-client.js';
import { agencyEntry, buildLog, FakeRegistry, type FakeLog, logFromDirectory, makeAgency, OVERSIGHT_TOKEN } from './testing/fake-registry.js';
import type { TrustedState } from './trusted-state.js';
import { type UrlOptions, verifyUrl } from './verify-url.js';

// A 15-entry log written by transparency-dev/tessera, beside the repository (never skipped).
const TESSERA = fileURLToPath(new URL('../../../../shared/testdata/tessera-log', import.meta.url));
const TESSERA_KEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';
const SIGNER = generateNoteKey('registry.test/log', new Uint8Array(32).fill(1));
const IMPOSTOR = generateNoteKey('registry.test/log', new Uint8Array(32).fill(2));

let registry: FakeRegistry;
afterEach(() => registry.close());

function verify(options: Partial<UrlOptions> = {}) {
  return verifyUrl({ url: registry.url, token: OVERSIGHT_TOKEN, pendingWaitMs: 300, ...options });
}

async function failureOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    if (error instanceof VerificationFailure || error instanceof HttpFailure) return error;
    throw error;
  }
  throw new Error('expected the verification to fail');
}

function trustedAt(size: number, rootHash: Uint8Array | string, verifierKey?: string): TrustedState {
  return { origin: 'example.com/log/testdata', size, rootHash: typeof rootHash === 'string' ? rootHash : encodeBase64(rootHash), verifierKey };
}

// The base64 root line of a signed checkpoint.
function rootOf(log: FakeLog, file = 'checkpoint'): string {
  return new TextDecoder().decode(log.files.get(file)).split('\n')[2]!;
}

describe('verifying a registry over HTTP: the log', () => {
  const startTessera = async () => (registry = await FakeRegistry.start(logFromDirectory(TESSERA, TESSERA_KEY)));

  it('with an oversight token, checks every entry, the tiles and the signature', async () => {
    await startTessera();
    const result = await verify({ key: TESSERA_KEY });
    expect(result.tree.checkpoint.size).toBe(15);
    expect(result.tree.entriesChecked).toBe(15);
    expect(result.keySource).toBe('option');
    expect(registry.requests).toContainEqual({ path: '/log/tile/entries/000.p/15', token: true });
    // Only the entry bundles carry the token.
    expect(registry.requests.filter((r) => r.token).every((r) => r.path.startsWith('/log/tile/entries/'))).toBe(true);
  });

  it('without a token, checks the tree but reads no entry', async () => {
    await startTessera();
    const result = await verify({ key: TESSERA_KEY, token: undefined });
    expect(result.tree.checkpoint.size).toBe(15);
    expect(result.tree.entriesChecked).toBe(0);
    expect(registry.requests.some((r) => r.path.includes('/entries/'))).toBe(false);
  });

  it('names the entry that was changed in an entry bundle', async () => {
    await startTessera();
    registry.log.files.get('tile/entries/000.p/15')![2 + 3 + 2] ^= 0x01; // "two" becomes "uwo"
    const failure = (await failureOf(verify({ key: TESSERA_KEY }))) as VerificationFailure;
    expect(failure.index).toBe(1);
    expect(failure.message).toContain('entry 1 does not match');
  });

  it('notices a changed level-0 tile, with or without the entries to name it', async () => {
    await startTessera();
    registry.log.files.get('tile/0/000.p/15')![5 * 32] ^= 0x01;
    expect((await failureOf(verify({ key: TESSERA_KEY, token: undefined }))).message).toContain('the hash tiles do not produce the signed root');
    expect(((await failureOf(verify({ key: TESSERA_KEY }))) as VerificationFailure).index).toBe(5);
  });

  it('reports a missing tile with its URL', async () => {
    await startTessera();
    registry.log.files.delete('tile/0/000.p/15');
    const failure = await failureOf(verify({ key: TESSERA_KEY, token: undefined }));
    expect(failure.message).toContain(`tile tile/0/000.p/15 is missing at ${registry.url}/log/tile/0/000.p/15`);
  });

  it("refuses a server whose key is not the pinned one, and a checkpoint the pinned key did not sign", async () => {
    await startTessera();
    const other = generateNoteKey('example.com/log/testdata', new Uint8Array(32).fill(3)).verifierKey;
    expect((await failureOf(verify({ key: other }))).message).toContain(`the server presents the verifier key ${TESSERA_KEY}, not the pinned key`);
    registry.log.verifierKey = other; // the key endpoint lies, the checkpoint is still signed by the real key
    expect((await failureOf(verify({ key: other }))).message).toContain('the checkpoint: ');
  });

  it('trusts the key the server presents on first use, and says so', async () => {
    await startTessera();
    const warnings: string[] = [];
    const result = await verify({ warn: (message) => warnings.push(message) });
    expect(result.keySource).toBe('first use');
    expect(result.verifierKey).toBe(TESSERA_KEY);
    expect(warnings.join()).toContain('not pinned');
  });

  it('fails loudly when the log presents another key than the state file trusts', async () => {
    registry = await FakeRegistry.start(buildLog(IMPOSTOR.signerKey, []));
    const trusted = { origin: 'registry.test/log', size: 0, rootHash: rootOf(buildLog(SIGNER.signerKey, [])), verifierKey: SIGNER.verifierKey };
    const failure = await failureOf(verify({ trusted }));
    expect(failure.message).toBe(`the log's key changed: the state file trusts ${SIGNER.verifierKey}, the server now presents ${IMPOSTOR.verifierKey}`);
  });

  it('fails on a ROLLBACK to a smaller checkpoint than the one trusted', async () => {
    await startTessera();
    registry.log.files.set('checkpoint', registry.log.files.get('checkpoint.10')!);
    const failure = await failureOf(verify({ trusted: trustedAt(15, rootOf(registry.log, 'checkpoint.15'), TESSERA_KEY) }));
    expect(failure.message).toContain('ROLLBACK: the log shrank from 15 to 10');
  });

  it('fails on a FORK: the trusted checkpoint is not a prefix of the log any more', async () => {
    await startTessera();
    const failure = await failureOf(verify({ trusted: trustedAt(5, new Uint8Array(32).fill(7), TESSERA_KEY), token: undefined }));
    expect(failure.message).toContain('FORK');
  });

  it("checks the server's consistency proof from the trusted size as well", async () => {
    await startTessera();
    const trusted = trustedAt(5, rootOf(registry.log, 'checkpoint.5'), TESSERA_KEY);
    const result = await verify({ trusted, token: undefined });
    expect(result.extended).toEqual({ trusted, proofChecked: true });
    expect(registry.requests.map((r) => r.path)).toContain('/api/v1/log/proofs/consistency?from=5&to=15');

    registry.intercept = (path) =>
      path.startsWith('/api/v1/log/proofs/consistency') ? { status: 200, body: JSON.stringify({ from: 5, to: 15, hashes: [encodeBase64(new Uint8Array(32))] }) } : undefined;
    expect((await failureOf(verify({ trusted, token: undefined }))).message).toContain("the server's consistency proof from 5 to 15");
  });

  it('names the URL and the status when the server fails, or cannot be reached', async () => {
    await startTessera();
    registry.intercept = (path) =>
      path === '/log/checkpoint' ? { status: 500, body: JSON.stringify({ title: 'Internal Server Error' }), type: 'application/problem+json' } : undefined;
    const failure = await failureOf(verify({ key: TESSERA_KEY }));
    expect(failure).toBeInstanceOf(HttpFailure);
    expect(failure.message).toBe(`GET ${registry.url}/log/checkpoint: HTTP 500 Internal Server Error`);

    registry.intercept = undefined;
    expect((await failureOf(verify({ key: TESSERA_KEY, token: 'not-the-token' }))).message).toContain('HTTP 401');

    await registry.close();
    expect((await failureOf(verify({ key: TESSERA_KEY }))).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/log\/key: could not reach the server/);
  });
});

describe('verifying a registry over HTTP: the public records', () => {
  const agencies = [makeAgency(1), makeAgency(2), makeAgency(3)];
  // One entry the public may not read comes first, as a confidential record's would.
  const startWithAgencies = async () => {
    registry = await FakeRegistry.start(buildLog(SIGNER.signerKey, [new TextEncoder().encode('{"confidential":true}')]));
    registry.publish(SIGNER.signerKey, agencies);
    return registry;
  };
  const check = (options: Partial<UrlOptions> = {}) => verify({ key: SIGNER.verifierKey, token: undefined, ...options });

  it('matches every public record, on every page, with the entry that logged it, without a token', async () => {
    await startWithAgencies();
    const result = await check();
    expect(result.publicRecords).toBe(3);
    expect(registry.requests.map((r) => r.path)).toContain('/api/v1/agencies?limit=100&cursor=2');
    expect(registry.requests.filter((r) => r.path.startsWith('/api/v1/log/entries/')).map((r) => r.path)).toEqual([
      '/api/v1/log/entries/1',
      '/api/v1/log/entries/2',
      '/api/v1/log/entries/3',
    ]);
    // The entries are read as the public reads them, even when the verifier holds a token.
    await check({ token: OVERSIGHT_TOKEN });
    expect(registry.requests.filter((r) => r.path.startsWith('/api/v1/log/entries/')).every((r) => !r.token)).toBe(true);
  });

  it('fails naming the record and its entry when its content changed after it was logged', async () => {
    await startWithAgencies();
    const changed = registry.agencies[1]!;
    changed.name = 'Renamed in the database';
    const failure = (await failureOf(check())) as VerificationFailure;
    expect(failure.index).toBe(2);
    expect(failure.message).toContain(`agency ${changed.id}: its public content does not match entry 2`);
  });

  it('fails when the served publicContentHash is not the hash of the served content', async () => {
    await startWithAgencies();
    registry.agencies[0]!.publicContentHash = 'ab'.repeat(32);
    expect((await failureOf(check())).message).toContain('is not the hash of its public content');
  });

  it('fails when the entry about a public record is not public', async () => {
    await startWithAgencies();
    registry.publicEntries.delete(3);
    expect((await failureOf(check())).message).toContain(`agency ${agencies[2]!.id}: its log entry 3 is not public`);
  });

  it('fails when a record points at the entry of another record, or at no entry of the log', async () => {
    await startWithAgencies();
    registry.agencies[0]!.log = registry.agencies[1]!.log;
    expect((await failureOf(check())).message).toContain(`entry 2 is about agency ${agencies[1]!.id}, not this agency`);

    registry.agencies[0]!.log = { index: 1, leafHash: registry.agencies[1]!.log!.leafHash };
    expect((await failureOf(check())).message).toContain('its log.leafHash is not the hash of entry 1');

    // The API serves an entry, and a record pointing at it, that the tiles do not hold.
    const forged = agencyEntry(agencies[0]!, 'registry.test/log', 'r-forged');
    registry.log.entries[1] = forged;
    registry.agencies[0]!.log = { index: 1, leafHash: encodeBase64(hashLeaf(forged)) };
    expect((await failureOf(check())).message).toContain('entry 1 as served is not the entry at index 1 in the log');
  });

  it('waits for a record still queued for the log, then checks it against a fresh checkpoint', async () => {
    await startWithAgencies();
    const queued = makeAgency(4);
    registry.agencies.push({ ...registry.agencies[0]!, ...queued, log: null });
    let polls = 0;
    registry.beforeAnswer = (path) => {
      if (path === `/api/v1/agencies/${queued.id}` && ++polls === 2) {
        registry.agencies.pop();
        registry.publish(SIGNER.signerKey, [queued]); // integrated: a new entry and a new checkpoint
      }
    };
    const result = await check({ pendingWaitMs: 5000, token: OVERSIGHT_TOKEN });
    expect(result.publicRecords).toBe(4);
    expect(result.tree.checkpoint.size).toBe(5);
    expect(result.tree.entriesChecked).toBe(5);
    expect(registry.requests.map((r) => r.path)).toContain('/api/v1/log/proofs/consistency?from=4&to=5');
  });

  it('fails naming a record that stays unlogged', async () => {
    await startWithAgencies();
    registry.agencies[2]!.log = null;
    const started = Date.now();
    expect((await failureOf(check({ pendingWaitMs: 300 }))).message).toContain(`agency ${agencies[2]!.id} has no log entry`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('fails when a record is logged beyond the checkpoint, even a fresh one', async () => {
    await startWithAgencies();
    registry.agencies[0]!.log = { index: 9, leafHash: registry.agencies[0]!.log!.leafHash };
    const failure = await failureOf(check());
    expect(failure.message).toContain(`agency ${agencies[0]!.id} is logged at index 9, beyond the log's checkpoint (size 4)`);
    expect(registry.requests.filter((r) => r.path === '/log/checkpoint')).toHaveLength(2);
  });
});
