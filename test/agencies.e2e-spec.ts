import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';

const valid = { name: 'Policía Nacional', country: 'CR', kind: 'police' };

describe('agencies', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['admin'], { sub: 'admin-user-1' });
  });
  afterAll(() => t.close());

  const create = (body: unknown, token = admin) =>
    t.http.post('/api/v1/agencies').set('Authorization', `Bearer ${token}`).send(body as object);

  it('lets an admin create an agency, and logs it in the same transaction', async () => {
    const res = await create({ ...valid, country: 'cr' }).expect(201);
    expect(res.body).toMatchObject({ name: 'Policía Nacional', country: 'CR', kind: 'police' });
    expect(res.headers.location).toBe(`/api/v1/agencies/${res.body.id}`);
    const logEntry = res.headers['x-log-entry'];
    expect(logEntry).toMatch(/^\d+$/);

    const [row] = await t.sql<{ entry: Buffer; subject_id: string }>(
      'SELECT entry, subject_id FROM log_queue WHERE id = $1',
      [logEntry],
    );
    expect(row.subject_id).toBe(res.body.id);
    const text = row.entry.toString('utf8');
    const entry = JSON.parse(text);
    expect(entry).toMatchObject({
      v: 1,
      origin: t.config.logOrigin,
      action: 'agency.create',
      actor: { id: 'admin-user-1', roles: ['admin'] },
      subject: { type: 'agency', id: res.body.id },
      requestId: res.headers['x-request-id'],
    });
    expect(entry.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Stored bytes are RFC 8785 canonical: keys sorted, no whitespace.
    expect(Object.keys(entry)).toEqual([...Object.keys(entry)].sort());
    expect(text).not.toMatch(/\s"|":\s/);
    // The entry records digests, not the content itself.
    expect(text).not.toContain('Policía');
  });

  it('serves agencies to anyone, without a token', async () => {
    const created = (await create({ name: 'Fiscalía General', country: 'CO', kind: 'prosecution' }).expect(201)).body;
    expect(created.log).toBeNull(); // queued with the agency, integrated just after
    const res = await t.http.get(`/api/v1/agencies/${created.id}`).expect(200);
    expect({ ...res.body, log: null }).toEqual(created);
    expect(res.body.log === null || Number.isInteger(res.body.log.index)).toBe(true);
    const list = await t.http.get('/api/v1/agencies').query({ country: 'co' }).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([created.id]);
  });

  it('refuses anonymous callers (401) and other roles (403), and writes nothing', async () => {
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await t.http.post('/api/v1/agencies').send(valid).expect(401);
    const oversight = await t.token(['oversight']);
    const res = await create({ ...valid, name: 'Not created' }, oversight).expect(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const editor = await t.token(['agency_editor'], { agencyId: '6f1c1f1e-7a3e-4c53-9a57-3f5b8f6f2b11' });
    await create({ ...valid, name: 'Not created either' }, editor).expect(403);
    const after = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    expect(after[0].n).toBe(before[0].n);
    const names = await t.sql<{ name: string }>("SELECT name FROM agencies WHERE name LIKE 'Not created%'");
    expect(names).toEqual([]);
  });

  it('names every invalid or unknown field in one problem', async () => {
    const res = await create({ name: '   ', country: 'XX', kind: 'spy', secret: true }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['country', 'kind', 'name', 'secret']);
  });

  it('rejects bodies that are not a JSON object', async () => {
    for (const body of [[valid], 'agency', 42, null]) {
      const res = await t.http
        .post('/api/v1/agencies')
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(400);
      expect(res.body.type).toBeDefined();
    }
  });

  it('answers 409 for a duplicate name in the same country, and a rolled-back write leaves no log entry', async () => {
    await create({ name: 'Guardia Civil', country: 'ES', kind: 'police' }).expect(201);
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const res = await create({ name: 'guardia civil', country: 'ES', kind: 'other' }).expect(409);
    expect(res.body.detail).toContain('already exists');
    const after = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    expect(after[0].n).toBe(before[0].n);
    // The same name in another country is another agency.
    await create({ name: 'Guardia Civil', country: 'PE', kind: 'police' }).expect(201);
  });

  it('lets an admin rename an agency or correct its kind, logged; the country stays', async () => {
    const { body: created } = await create({ name: 'Ministerio de Seguridad', country: 'PA', kind: 'ministry' }).expect(201);
    const put = (id: string, body: object, token = admin) => t.http.put(`/api/v1/agencies/${id}`).set('Authorization', `Bearer ${token}`).send(body);
    const res = await put(created.id, { name: 'Ministerio de Seguridad Pública', kind: 'police' }).expect(200);
    expect(res.body).toMatchObject({ id: created.id, name: 'Ministerio de Seguridad Pública', kind: 'police', country: 'PA' });
    const [row] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
    expect(JSON.parse(row.entry.toString('utf8'))).toMatchObject({ action: 'agency.update', subject: { type: 'agency', id: created.id }, publicContentHash: res.body.publicContentHash });
    expect((await t.http.get(`/api/v1/agencies/${created.id}`).expect(200)).body.name).toBe('Ministerio de Seguridad Pública');

    // Bad input, another role, an unknown agency, a taken name: refused, nothing changed.
    const [{ n: before }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    const bad = await put(created.id, { name: '', kind: 'army', country: 'CR' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['country', 'kind', 'name']);
    await put(created.id, { name: 'X', kind: 'police' }, await t.token(['oversight'])).expect(403);
    await put('00000000-0000-4000-8000-000000000000', { name: 'X', kind: 'police' }).expect(404);
    await create({ name: 'Policía de Panamá', country: 'PA', kind: 'police' }).expect(201);
    await put(created.id, { name: 'Policía de Panamá', kind: 'police' }).expect(409);
    const [{ n: after }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    expect(Number(after)).toBe(Number(before) + 1);
    expect((await t.http.get(`/api/v1/agencies/${created.id}`).expect(200)).body.name).toBe('Ministerio de Seguridad Pública');
  });

  it('pages through the list with a cursor, in name order, without gaps or repeats', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Paging Agency ${String.fromCharCode(71 - i)}`);
    for (const name of names) await create({ name, country: 'BR', kind: 'ministry' }).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { country: 'BR', limit: 3 };
      if (cursor) query.cursor = cursor;
      const res = await t.http.get('/api/v1/agencies').query(query).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((a: { name: string }) => a.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort());
  });

  it('rejects bad list parameters and ids with 400, and answers 404 for an unknown agency', async () => {
    await t.http.get('/api/v1/agencies').query({ limit: 101 }).expect(400);
    await t.http.get('/api/v1/agencies').query({ limit: 'ten' }).expect(400);
    await t.http.get('/api/v1/agencies').query({ kind: 'spy' }).expect(400);
    const forged = Buffer.from(JSON.stringify(['x', "'; DROP TABLE agencies; --"])).toString('base64url');
    await t.http.get('/api/v1/agencies').query({ cursor: forged }).expect(200);
    const res = await t.http.get('/api/v1/agencies').query({ cursor: 'not-a-cursor' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    await t.http.get('/api/v1/agencies/42').expect(400);
    await t.http.get('/api/v1/agencies/6f1c1f1e-7a3e-4c53-9a57-3f5b8f6f2b11').expect(404);
  });
});
