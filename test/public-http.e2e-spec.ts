import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decodeEntryBundle, entryBundlePath, hashLeaf, openCheckpoint, parseVerifierKey, tilePath } from '@custodia/tlog';
import request from 'supertest';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { publishTool } from './support/tools.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body comes back exactly as sent, still compressed (supertest and fetch decode it). */
function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// Behind a trusted proxy (loopback: the tests' own connections) each X-Forwarded-For is a client
// of its own, so that every test starts with fresh limits.
let clients = 0;
function someone(): { 'X-Forwarded-For': string } {
  clients++;
  return { 'X-Forwarded-For': `10.0.${clients >> 8}.${clients & 255}` };
}

describe('the public side over HTTP, behind a trusted proxy', () => {
  let t: TestApp;
  let base: string;
  let oversight: string;
  let admin: string;
  let agencyId: string;
  let treeSize: number;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', PUBLIC_RATE_LIMIT: '3', PUBLIC_LOG_RATE_LIMIT: '6' });
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    // Everything written here carries a token, which the limits do not count.
    agencyId = await t.createAgency('Fiscalía de Prueba (ficticia)', 'CR', 'prosecution');
    const editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    const approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    for (const name of ['Primera', 'Segunda', 'Tercera', 'Cuarta', 'Quinta']) await publishTool(t, editor, approver, `${name} herramienta`);
    oversight = await t.token(['oversight']);
    admin = await t.token(['admin']);
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    treeSize = (await waitForTreeSize(request.agent(base).set(bearer(oversight)), Number(n))).size;
  });
  afterAll(() => t?.close());

  it('limits the schema and the agencies with the public API, and the log apart with its own, higher limit', async () => {
    const client = someone();
    await t.http.get('/api/v1/schema').set(client).expect(200);
    await t.http.get('/api/v1/schema/assessments').set(client).expect(200);
    await t.http.get('/api/v1/agencies').set(client).expect(200);
    const refused = await t.http.get(`/api/v1/agencies/${agencyId}`).set(client).expect(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.detail).toMatch(/at most 3 a minute/);
    await t.http.get('/api/v1/public/stats').set(client).expect(429);

    // The same client still reads the log: six requests to its tiles, checkpoint, proofs and entries.
    const logReads = ['/log/checkpoint', `/log/${tilePath({ level: 0, index: 0, width: Math.min(treeSize, 256) })}`, '/api/v1/log/key',
      `/api/v1/log/proofs/inclusion?index=1&treeSize=${treeSize}`, `/api/v1/log/proofs/consistency?from=1&to=${treeSize}`, '/log/checkpoint'];
    for (const path of logReads) await t.http.get(path).set(client).expect(200);
    const tooMany = await t.http.get('/api/v1/log/entries/1').set(client).expect(429);
    expect(tooMany.headers['content-type']).toContain('application/problem+json');
    expect(tooMany.body.detail).toMatch(/at most 6 a minute/);
    expect(Number(tooMany.headers['retry-after'])).toBeGreaterThan(0);
    const checkpoint = await t.http.get('/log/checkpoint').set(client).expect(429);
    expect(checkpoint.headers['content-type']).toContain('application/problem+json');
  });

  it('does not count callers with a valid token, and counts a forged one like no token', async () => {
    const client = someone();
    for (let i = 0; i < 8; i++) await t.http.get('/api/v1/agencies').set(client).set(bearer(admin)).expect(200);
    for (let i = 0; i < 8; i++) await t.http.get(`/log/${entryBundlePath(0, Math.min(treeSize, 256))}`).set(client).set(bearer(oversight)).expect(200);
    await t.http.post('/api/v1/agencies').set(client).set(bearer(admin)).send({ name: 'Fiscalía Nueva (ficticia)', country: 'UY', kind: 'prosecution' }).expect(201);

    const forged = someone();
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/agencies').set(forged).set(bearer(`${admin}x`)).expect(401);
    await t.http.get('/api/v1/agencies').set(forged).set(bearer(`${admin}x`)).expect(429);
    await t.http.get('/api/v1/agencies').set(forged).expect(429);
  });

  it('tells the clients behind the proxy apart by X-Forwarded-For', async () => {
    const [first, second] = [someone(), someone()];
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/public/stats').set(first).expect(200);
    await t.http.get('/api/v1/public/stats').set(first).expect(429);
    await t.http.get('/es/tools').set(first).expect(429);
    await t.http.get('/api/v1/public/stats').set(second).expect(200);
    await t.http.get('/es/tools').set(second).expect(200);
  });

  it('lets no cache keep an error, and keeps the caching headers of answers', async () => {
    const unknownTool = '/api/v1/public/tools/00000000-0000-4000-8000-000000000000';
    const errors: Array<[string, number, Record<string, string>?]> = [
      ['/api/v1/public/tools?riskClass=dangerous', 400],
      [unknownTool, 404],
      ['/api/v1/public/tools/not-a-uuid', 400],
      ['/api/v1/agencies/00000000-0000-4000-8000-000000000000', 404],
      ['/en/tools/00000000-0000-4000-8000-000000000000', 404],
      ['/log/tile/0/x999/999', 404],
      ['/log/tile/0/bad', 400],
      ['/api/v1/public/stats', 401, bearer('forged')],
    ];
    for (const [path, status, headers = {}] of errors) {
      const res = await t.http.get(path).set(someone()).set(headers).expect(status);
      expect([path, res.headers['cache-control']]).toEqual([path, 'no-store']);
    }
    const client = someone();
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/public/stats').set(client);
    for (const path of ['/api/v1/public/stats', '/en/tools']) {
      const limited = await t.http.get(path).set(client).expect(429);
      expect([path, limited.headers['cache-control']]).toEqual([path, 'no-store']);
    }

    const answer = await t.http.get('/api/v1/public/stats').set(someone()).expect(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(answer.headers.etag).toBeTruthy();
    const page = await t.http.get('/en/tools').set(someone()).expect(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
  });

  it.each(['/api/v1/public/tools?limit=100', '/api/v1/public/export.json', '/api/v1/public/export.csv', '/en/tools', '/api/v1/schema'])(
    'compresses %s for a client that accepts it, to the same bytes, with the same ETag and 304',
    async (path) => {
      const plain = await rawGet(`${base}${path}`, { ...someone(), 'Accept-Encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const [encoding, decode] of [['gzip', gunzipSync], ['br', brotliDecompressSync]] as const) {
        const packed = await rawGet(`${base}${path}`, { ...someone(), 'Accept-Encoding': encoding });
        expect(packed.status).toBe(200);
        expect(packed.headers['content-encoding']).toBe(encoding);
        expect(packed.headers.vary).toMatch(/Accept-Encoding/);
        expect(packed.headers['cache-control']).toBe(plain.headers['cache-control']);
        expect(packed.headers.etag).toBe(plain.headers.etag);
        expect(packed.body.length).toBeLessThan(plain.body.length);
        expect(decode(packed.body).equals(plain.body)).toBe(true);
        const unchanged = await rawGet(`${base}${path}`, { ...someone(), 'Accept-Encoding': encoding, 'If-None-Match': String(plain.headers.etag) });
        expect(unchanged.status).toBe(304);
        expect(unchanged.body.length).toBe(0);
      }
    },
  );

  it('sends a small answer as it is', async () => {
    const small = await rawGet(`${base}/api/v1/agencies/${agencyId}`, { ...someone(), 'Accept-Encoding': 'gzip, br' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8')).id).toBe(agencyId);
  });

  it('serves the checkpoint and the tiles byte for byte to a client that accepts compression, with ETags and 304', async () => {
    // fetch sends Accept-Encoding: gzip, deflate, br and decodes the answer, as the verifier does.
    const read = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { ...someone(), ...headers } });
    const { verifierKey } = (await (await read('/api/v1/log/key')).json()) as { verifierKey: string };
    const note = Buffer.from(await (await read('/log/checkpoint')).arrayBuffer());
    expect(note.equals((await rawGet(`${base}/log/checkpoint`, { ...someone(), 'Accept-Encoding': 'identity' })).body)).toBe(true);
    const checkpoint = openCheckpoint(note.toString('utf8'), [parseVerifierKey(verifierKey)]).checkpoint;
    expect(checkpoint.size).toBeGreaterThanOrEqual(treeSize);

    const width = Math.min(treeSize, 256);
    const tileAt = `/log/${tilePath({ level: 0, index: 0, width })}`;
    const plainTile = await rawGet(`${base}${tileAt}`, { ...someone(), 'Accept-Encoding': 'identity' });
    const offered = await rawGet(`${base}${tileAt}`, { ...someone(), 'Accept-Encoding': 'gzip, br' });
    // Hash tiles are random bytes: they go out as they are, whatever the client accepts.
    expect(offered.headers['content-encoding']).toBeUndefined();
    expect(offered.body.equals(plainTile.body)).toBe(true);
    const fetched = await read(tileAt);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(plainTile.body)).toBe(true);
    expect(plainTile.body.length).toBe(32 * width);
    // (fetch would add Cache-Control: no-cache to a conditional request, as the Fetch standard says.)
    const unchanged = await rawGet(`${base}${tileAt}`, { ...someone(), 'Accept-Encoding': 'gzip, br', 'If-None-Match': String(plainTile.headers.etag) });
    expect(unchanged.status).toBe(304);

    // Entry bundles hold the JSON entries: compressed (C2SP tlog-tiles says they SHOULD be), and
    // each entry still hashes to its leaf in the tile.
    const bundleAt = `/log/${entryBundlePath(0, width)}`;
    const token = `Bearer ${oversight}`;
    const plainBundle = await rawGet(`${base}${bundleAt}`, { ...someone(), Authorization: token, 'Accept-Encoding': 'identity' });
    const gzipped = await rawGet(`${base}${bundleAt}`, { ...someone(), Authorization: token, 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(plainBundle.body.length / 2);
    expect(gunzipSync(gzipped.body).equals(plainBundle.body)).toBe(true);
    const bundle = Buffer.from(await (await read(bundleAt, { Authorization: token })).arrayBuffer());
    const leaves = decodeEntryBundle(bundle, width).map((entry) => Buffer.from(hashLeaf(entry)));
    expect(Buffer.concat(leaves).equals(plainTile.body)).toBe(true);
    expect(gzipped.headers.etag).toBe(plainBundle.headers.etag);
    const again = await rawGet(`${base}${bundleAt}`, { ...someone(), Authorization: token, 'Accept-Encoding': 'gzip', 'If-None-Match': String(gzipped.headers.etag) });
    expect(again.status).toBe(304);
  });
});

// After the other app is closed: on the embedded database a test worker has one session.
describe('the public rate limit without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_RATE_LIMIT: '3' });
  });
  afterAll(() => t?.close());

  it('counts every client behind a proxy as one: X-Forwarded-For is not believed', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/public/stats').set(someone()).expect(200);
    await t.http.get('/api/v1/public/stats').set(someone()).expect(429);
    await t.http.get('/api/v1/schema').expect(429);
  });
});
