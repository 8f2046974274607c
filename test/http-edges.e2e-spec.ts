import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';

describe('HTTP edges', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
    admin = await t.token(['admin']);
  });
  afterAll(() => t.close());

  const post = () => t.http.post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`);

  it('answers 413 problem+json for a body over the limit, and stores nothing', async () => {
    const res = await post().send({ name: 'x'.repeat(5000), country: 'ES', kind: 'police' }).expect(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 413, title: 'Payload Too Large', limit: 4096 });
    expect(res.body.detail).toMatch(/^The request body is 5,0\d\d bytes \(4\.\d KiB\); this service accepts at most 4,096 bytes \(4 KiB\)\.$/);
    expect(await t.sql('SELECT id FROM agencies')).toEqual([]);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await post().set('Content-Type', 'text/plain').send('name=x').expect(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    await post().set('Content-Type', 'application/x-www-form-urlencoded').send('name=x').expect(415);
  });

  it('answers 400 problem+json for malformed JSON, with a request id', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });

  it('says in plain words where malformed JSON broke, as a validation problem, never with the parser text', async () => {
    const malformed = async (body: string) => {
      const res = await post().set('Content-Type', 'application/json').send(body).expect(400);
      expect(res.body).toMatchObject({ type: 'urn:custodia:problem:validation', errors: [{ field: '(body)', message: res.body.detail }] });
      expect(res.body.detail).not.toMatch(/Unexpected|position|SyntaxError|JSON\.parse/);
      return res.body.detail as string;
    };
    expect(await malformed('{"name": ')).toBe('The request body is not valid JSON: it ends before the JSON is complete (a closing quote, bracket or brace is missing).');
    expect(await malformed('{\n  "name": "x",\n  "country": "ES"\n  "kind": "police"\n}')).toBe(
      'The request body is not valid JSON: look at line 4, column 3 (often a missing comma or quote, or a comma before a closing brace).',
    );
    expect(await malformed('{"name": "x",}')).toMatch(/line 1, column 14/);
    expect(await malformed('"just text"')).toBe('The request body must be a JSON object, e.g. {"content": {...}}.');
    expect(await t.sql('SELECT id FROM agencies')).toEqual([]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', status: 404 });
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await t.http.get('/health/live').set('X-Request-Id', 'trace-42.abc').expect(200);
    expect(kept.headers['x-request-id']).toBe('trace-42.abc');
    const replaced = await t.http.get('/health/live').set('X-Request-Id', 'bad id <script>').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends helmet security headers and no CORS headers by default', async () => {
    const res = await t.http.get('/api/v1/agencies').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports liveness and readiness (database reachable, migrations applied)', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('reports not ready (503 problem) when migrations are missing', async () => {
    const [last] = await t.sql<{ id: number; timestamp: string; name: string }>(
      'SELECT id, timestamp, name FROM schema_migrations ORDER BY id DESC LIMIT 1',
    );
    await t.sql('DELETE FROM schema_migrations WHERE id = $1', [last.id]);
    try {
      const res = await t.http.get('/health/ready').expect(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.checks.migrations.status).toBe('down');
    } finally {
      await t.sql('INSERT INTO schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });

  it('publishes an OpenAPI document with bearer auth, and Swagger UI', async () => {
    const res = await t.http.get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/agencies', '/api/v1/agencies/{id}', '/health/ready']),
    );
    expect(res.body.paths['/api/v1/agencies'].post.security).toEqual([{ bearer: [] }]);
    const ui = await t.http.get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});

describe('CORS when configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://portal.example.org' });
  });
  afterAll(() => t.close());

  it('allows the configured origin only', async () => {
    const ok = await t.http.get('/api/v1/agencies').set('Origin', 'https://portal.example.org').expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example.org');
    const other = await t.http.get('/api/v1/agencies').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
