import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeBase64, decodeEntryBundle, encodeBase64, tileInterior, tileNodes, tilesFromLeafHashes, verifyConsistency, verifyInclusion } from '@custodia/tlog';
import type { Response as AgentResponse } from 'superagent';
import { DataSource } from 'typeorm';
import { LogStore } from '../apps/registry/src/log/log-store.js';
import { LogWriter } from '../apps/registry/src/log/log-writer.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { currentCheckpoint, leafHash, merkleRoot, waitForTreeSize } from './support/log.js';

const COUNTRIES = ['CR', 'ES', 'BR', 'FR', 'JM', 'MX', 'PT', 'CO'];
// Each log table with a column to try to rewrite.
const LOG_TABLES = { log_queue: 'entry', log_entries: 'leaf_hash', log_tiles: 'hashes', log_checkpoints: 'note', log_keys: 'verifier_key' };

describe('the audit log', () => {
  let t: TestApp;
  let admin: string;
  let oversight: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['admin']);
    oversight = await t.token(['oversight']);
  });
  afterAll(() => t.close());

  const createAgency = (name: string, country = 'CR') =>
    t.http.post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send({ name, country, kind: 'police' });

  /** The index given to a queued entry, once the integrator has given it one. */
  async function integrated(queueId: string): Promise<{ idx: string }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [row] = await t.sql<{ idx: string }>('SELECT idx FROM log_entries WHERE queue_id = $1', [queueId]);
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`queue entry ${queueId} was not integrated in 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Every integrated entry's exact bytes, in index order, read from the oversight entry bundles. */
  async function allEntries(size: number): Promise<Buffer[]> {
    const entries: Buffer[] = [];
    for (let n = 0; n * 256 < size; n++) {
      const width = Math.min(256, size - n * 256);
      const path = `/log/tile/entries/${String(n).padStart(3, '0')}${width < 256 ? `.p/${width}` : ''}`;
      const res = await t.http.get(path).set('Authorization', `Bearer ${oversight}`).buffer(true).parse(binary).expect(200);
      entries.push(...decodeEntryBundle(res.body as Buffer, width).map((e) => Buffer.from(e)));
    }
    return entries;
  }

  it('starts with the registration of its own signing key as entry 0, signed by that key', async () => {
    const checkpoint = await waitForTreeSize(t.http, 1);
    const { origin, verifierKey } = (await t.http.get('/api/v1/log/key').expect(200)).body;
    expect(origin).toBe('custodia.localhost/log');
    expect(checkpoint.origin).toBe(origin);
    const entry = (await t.http.get('/api/v1/log/entries/0').expect(200)).body;
    expect(entry.decoded).toMatchObject({ action: 'log.key.register', subject: { type: 'log_key' }, actor: { id: 'custodia' } });
    expect(JSON.parse(Buffer.from(entry.entry, 'base64').toString())).toEqual(entry.decoded);
    expect(entry.decoded.publicContentHash).toBeDefined();
    expect(verifierKey).toMatch(/^custodia\.localhost\/log\+[0-9a-f]{8}\+/);
  });

  it('serves the checkpoint as signed text with a short cache lifetime', async () => {
    const res = await t.http.get('/log/checkpoint').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=2');
    expect(res.text).toMatch(/^custodia\.localhost\/log\n\d+\n[A-Za-z0-9+/]{43}=\n\n— custodia\.localhost\/log [A-Za-z0-9+/]+=*\n$/);
  });

  it('integrates many parallel writers: contiguous indexes, each entry once, the root of its entries', async () => {
    const before = (await currentCheckpoint(t.http)).size;
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createAgency(`Parallel agency ${i}`, COUNTRIES[i % COUNTRIES.length])),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    const checkpoint = await waitForTreeSize(t.http, before + 40);

    const rows = await t.sql<{ idx: string; queue_id: string }>('SELECT idx, queue_id FROM log_entries ORDER BY idx');
    expect(rows.map((r) => Number(r.idx))).toEqual(rows.map((_, i) => i));
    expect(new Set(rows.map((r) => r.queue_id)).size).toBe(rows.length);
    const [{ queued }] = await t.sql<{ queued: string }>('SELECT count(*) AS queued FROM log_queue');
    expect(Number(queued)).toBe(rows.length);

    // Every write's X-Log-Entry leads to its entry, which records that write.
    for (const res of responses) {
      const queued = (await t.http.get(`/api/v1/log/queue/${res.headers['x-log-entry']}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
      const entry = (await t.http.get(`/api/v1/log/entries/${queued.index}`).expect(200)).body;
      expect(entry.decoded.subject).toEqual({ type: 'agency', id: res.body.id });
      expect(entry.decoded.publicContentHash).toBe(res.body.publicContentHash);
    }

    const entries = await allEntries(checkpoint.size);
    expect(entries).toHaveLength(checkpoint.size);
    expect(merkleRoot(entries.map(leafHash))).toEqual(Buffer.from(checkpoint.rootHash));
  });

  it('proves every entry included, and every earlier checkpoint consistent with the latest', async () => {
    const checkpoint = await currentCheckpoint(t.http);
    for (let index = 0; index < checkpoint.size; index++) {
      const proof = (await t.http.get('/api/v1/log/proofs/inclusion').query({ index }).expect(200)).body;
      expect(proof).toMatchObject({ index, treeSize: checkpoint.size });
      verifyInclusion(index, checkpoint.size, decodeBase64(proof.leafHash), proof.hashes.map(decodeBase64), checkpoint.rootHash);
    }
    const sizes = await t.sql<{ tree_size: string; root_hash: Buffer }>('SELECT tree_size, root_hash FROM log_checkpoints WHERE tree_size > 0');
    expect(sizes.length).toBeGreaterThan(1);
    for (const earlier of sizes) {
      const from = Number(earlier.tree_size);
      const proof = (await t.http.get('/api/v1/log/proofs/consistency').query({ from }).expect(200)).body;
      expect(proof).toMatchObject({ from, to: checkpoint.size });
      verifyConsistency(from, checkpoint.size, proof.hashes.map(decodeBase64), earlier.root_hash, checkpoint.rootHash);
    }
  });

  it('serves C2SP tiles: full ones immutable, partial ones from the level below, equal to tiles built from the entries', async () => {
    // 600 more entries, queued straight into the log as 600 writers' transactions would.
    const before = (await currentCheckpoint(t.http)).size;
    await t.sql(
      `INSERT INTO log_queue (entry, subject_type, subject_id, public)
       SELECT convert_to('{"n":' || g || '}', 'UTF8'), 'test', gen_random_uuid(), false FROM generate_series(1, 600) g`,
    );
    const checkpoint = await waitForTreeSize(t.http, before + 600);
    const leaves = (await allEntries(checkpoint.size)).map(leafHash);
    const expected = tilesFromLeafHashes(leaves);
    expect(expected.map((e) => e.tile.level)).toContain(1);
    for (const { tile, data } of expected) {
      const index = String(tile.index).padStart(3, '0');
      const path = `/log/tile/${tile.level}/${index}${tile.width < 256 ? `.p/${tile.width}` : ''}`;
      const res = await t.http.get(path).buffer(true).parse(binary).expect(200);
      expect(Buffer.from(res.body as Buffer)).toEqual(Buffer.from(data));
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['cache-control']).toBe(tile.width === 256 ? 'public, max-age=31536000, immutable' : 'public, max-age=2');
    }
    // A narrower partial tile of a full one is its prefix; a tile beyond the tree is not there yet.
    const prefix = await t.http.get('/log/tile/0/000.p/7').buffer(true).parse(binary).expect(200);
    expect(Buffer.from(prefix.body as Buffer)).toEqual(Buffer.from(expected[0].data.subarray(0, 7 * 32)));
    await t.http.get('/log/tile/0/009').expect(404);
    await t.http.get('/log/tile/0/002.p/255').expect(404);
  });

  it('proves entries across full and partial tiles, each with its own leaf hash, and the same when asked again', async () => {
    const checkpoint = await currentCheckpoint(t.http);
    expect(checkpoint.size).toBeGreaterThan(512);
    const entries = await allEntries(checkpoint.size);
    const last = checkpoint.size - 1;
    // The integrator stores each full tile with its interior, the hashes of the subtrees inside it.
    const stored = await t.sql<{ hashes: Buffer; interior: Buffer | null }>('SELECT hashes, interior FROM log_tiles');
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const row of stored) expect(row.interior?.toString('hex')).toBe(Buffer.from(tileInterior(tileNodes(row.hashes))).toString('hex'));
    // Tile edges, the partial tile at the end, and its last leaf (whose path has no level-0 sibling when it is even).
    // This instance integrated the entries and keeps the tiles it filled; one that did not (a
    // second instance, or this one restarted) reads them from the database, and must agree, also
    // over tiles stored before they had an interior (which it hashes).
    const dataSource = t.app.get(DataSource);
    const fresh = new LogStore(dataSource);
    const older = new LogStore(withoutInterior(dataSource));
    for (const index of [0, 1, 254, 255, 256, 257, 511, 512, last - 1, last]) {
      for (let round = 0; round < 2; round++) {
        const proof = (await t.http.get('/api/v1/log/proofs/inclusion').query({ index }).expect(200)).body;
        expect(decodeBase64(proof.leafHash)).toEqual(new Uint8Array(leafHash(entries[index]!)));
        verifyInclusion(index, checkpoint.size, decodeBase64(proof.leafHash), proof.hashes.map(decodeBase64), checkpoint.rootHash);
        for (const store of [fresh, older]) {
          const read = await store.inclusionProof(index, checkpoint.size);
          expect([read.leafHash, ...read.hashes].map(encodeBase64)).toEqual([proof.leafHash, ...proof.hashes]);
        }
      }
    }
    for (const from of [1, 255, 256, 257, 513, last]) {
      const earlierRoot = merkleRoot(entries.slice(0, from).map(leafHash));
      for (let round = 0; round < 2; round++) {
        const proof = (await t.http.get('/api/v1/log/proofs/consistency').query({ from }).expect(200)).body;
        verifyConsistency(from, checkpoint.size, proof.hashes.map(decodeBase64), earlierRoot, checkpoint.rootHash);
        for (const store of [fresh, older]) expect((await store.consistencyProof(from, checkpoint.size)).map(encodeBase64)).toEqual(proof.hashes);
      }
    }
  });

  it('shows entries about public records to anyone and the rest to oversight only', async () => {
    const agency = (await createAgency('Ministerio Público').expect(201)).body;
    const [{ id: secretQueueId }] = await t.sql<{ id: string }>(
      `INSERT INTO log_queue (entry, subject_type, subject_id, public) VALUES (convert_to('{"secret":true}', 'UTF8'), 'tool', $1, false) RETURNING id`,
      [randomUUID()],
    );
    const [{ id: publicQueueId }] = await t.sql<{ id: string }>(
      'SELECT id FROM log_queue WHERE subject_id = $1',
      [agency.id],
    );
    const [secret, open] = await Promise.all([integrated(secretQueueId), integrated(publicQueueId)]);

    await t.http.get(`/api/v1/log/entries/${open.idx}`).expect(200);
    const hidden = await t.http.get(`/api/v1/log/entries/${secret.idx}`).expect(404);
    expect(hidden.headers['content-type']).toContain('application/problem+json');
    await t.http.get(`/api/v1/log/entries/${secret.idx}`).set('Authorization', `Bearer ${admin}`).expect(404);
    const seen = await t.http.get(`/api/v1/log/entries/${secret.idx}`).set('Authorization', `Bearer ${oversight}`).expect(200);
    expect(seen.body.decoded).toEqual({ secret: true });

    await t.http.get('/log/tile/entries/000.p/1').expect(401);
    await t.http.get('/log/tile/entries/000.p/1').set('Authorization', `Bearer ${admin}`).expect(403);
    await t.http.get('/api/v1/log/entries').expect(401);

    const list = await t.http.get('/api/v1/log/entries').query({ subjectId: agency.id }).set('Authorization', `Bearer ${oversight}`).expect(200);
    expect(list.body.items.map((e: { index: number }) => e.index)).toEqual([Number(open.idx)]);
    const page = await t.http.get('/api/v1/log/entries').query({ limit: 2, from: 1 }).set('Authorization', `Bearer ${oversight}`).expect(200);
    expect(page.body.items.map((e: { index: number }) => e.index)).toEqual([1, 2]);
    const next = await t.http.get('/api/v1/log/entries').query({ limit: 2, cursor: page.body.nextCursor }).set('Authorization', `Bearer ${oversight}`).expect(200);
    expect(next.body.items.map((e: { index: number }) => e.index)).toEqual([3, 4]);
  });

  it('answers bad log requests with a 400 problem naming the parameter, and unknown ones with 404', async () => {
    const size = (await currentCheckpoint(t.http)).size;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/v1/log/proofs/inclusion', { index: 'one' }, 'index'],
      ['/api/v1/log/proofs/inclusion', { index: -1 }, 'index'],
      ['/api/v1/log/proofs/inclusion', {}, 'index'],
      ['/api/v1/log/proofs/inclusion', { index: size }, 'index'],
      ['/api/v1/log/proofs/inclusion', { index: 0, treeSize: size + 1 }, 'treeSize'],
      ['/api/v1/log/proofs/inclusion', { index: 0, treeSize: '1e400' }, 'treeSize'],
      ['/api/v1/log/proofs/consistency', { from: 0 }, 'from'],
      ['/api/v1/log/proofs/consistency', { from: 5, to: 4 }, 'from'],
      ['/api/v1/log/proofs/consistency', { from: 1, to: size + 1 }, 'to'],
    ];
    for (const [path, query, field] of cases) {
      const res = await t.http.get(path).query(query).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await t.http.get('/api/v1/log/entries/abc').expect(400);
    await t.http.get('/api/v1/log/entries/99999999').expect(404);
    await t.http.get('/api/v1/log/queue/x1').set('Authorization', `Bearer ${admin}`).expect(400);
    await t.http.get('/api/v1/log/queue/999999').set('Authorization', `Bearer ${admin}`).expect(404);
    for (const bad of ['/log/tile/0/1', '/log/tile/0/000.p/256', '/log/tile/64/000', '/log/tile/entries/x']) {
      const res = await t.http.get(bad).set('Authorization', `Bearer ${oversight}`);
      expect([400, 404]).toContain(res.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('leaves no entry behind a rolled-back change', async () => {
    const [{ n: before }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const writer = t.app.get(LogWriter);
    await expect(
      t.app.get(DataSource).transaction(async (manager) => {
        await writer.append(manager, {
          actor: { id: 'u', roles: ['admin'] },
          action: 'agency.create',
          subject: { type: 'agency', id: randomUUID() },
          requestId: 'r',
        });
        throw new Error('the change failed after its entry was queued');
      }),
    ).rejects.toThrow('the change failed');
    await createAgency('Duplicate').expect(201);
    await createAgency('Duplicate').expect(409);
    const [{ n: after }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    expect(Number(after)).toBe(Number(before) + 1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on every log table, even as a replica session', async () => {
    for (const [table, column] of Object.entries(LOG_TABLES)) {
      const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      expect(Number(n)).toBeGreaterThan(0); // row triggers only fire on rows
      for (const statement of [`UPDATE ${table} SET ${column} = ${column}`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        await expect(asReplica(t, statement)).rejects.toThrow(/append-only/);
      }
    }
  });

  it('is ready only while the log is being integrated', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.details.logIntegrator).toMatchObject({ status: 'up', role: 'leader' });
  });
});

describe('an instance that does not integrate (LOG_INTEGRATOR=off)', () => {
  it('queues writes but reports that no integrator is alive', async () => {
    const t = await startTestApp({ LOG_INTEGRATOR: 'off' });
    try {
      const res = await t.http.get('/health/ready').expect(503);
      expect(res.body.checks.logIntegrator.status).toBe('down');
      await t.http.get('/log/checkpoint').expect(503);
    } finally {
      await t.close();
    }
  });
});

async function asReplica(t: TestApp, statement: string): Promise<void> {
  await t.app.get(DataSource).transaction(async (manager) => {
    await manager.query('SET LOCAL session_replication_role = replica');
    await manager.query(statement);
  });
}

/** A supertest parser that keeps the body as bytes (tiles and bundles are binary). */
function binary(res: AgentResponse, done: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The database as it answers for tiles stored before the TileInterior migration: no interior. */
function withoutInterior(dataSource: DataSource): DataSource {
  const query = async (sql: string, parameters?: unknown[]) => {
    const rows = (await dataSource.query(sql, parameters)) as Array<Record<string, unknown>>;
    return rows.map((row) => ('interior' in row ? { ...row, interior: null } : row));
  };
  return { query } as unknown as DataSource;
}
