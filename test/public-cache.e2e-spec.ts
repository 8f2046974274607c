import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { PublicToolsService } from '../apps/registry/src/public/public-tools.service.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { publishTool } from './support/tools.js';

// The public answers each instance keeps in memory (PUBLIC_CACHE_MB, docs/portal.md): served
// again only while nothing logged has changed since, so that readers never see an old version
// of what this instance changed.
describe('the public cache', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let admin: string;
  let agencyId: string;

  const publish = (name: string) => publishTool(t, editor, approver, name);

  const names = async (path: string) => (await t.http.get(path).expect(200)).body.items.map((s: { name: string }) => s.name);

  beforeAll(async () => {
    t = await startTestApp();
    agencyId = await t.createAgency('Fiscalía de Prueba (ficticia)', 'CR', 'prosecution');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    admin = await t.token(['admin']);
  });
  afterAll(() => t.close());

  it('shows a publication at once on the list, the tool page and the portal, although they were cached before', async () => {
    const first = await publish('Primera herramienta');
    expect(await names('/api/v1/public/tools')).toEqual(['Primera herramienta']);
    const page = await t.http.get('/en/tools').expect(200);
    expect(page.text).not.toContain('Segunda herramienta');

    const second = await publish('Segunda herramienta');
    expect(await names('/api/v1/public/tools')).toEqual(['Primera herramienta', 'Segunda herramienta']);
    expect((await t.http.get('/en/tools').expect(200)).text).toContain('Segunda herramienta');
    expect((await t.http.get(`/api/v1/public/tools/${first.id}`).expect(200)).body.content.identity.name).toBe('Primera herramienta');
    expect((await t.http.get(`/api/v1/public/tools/${second.id}`).expect(200)).body.content.identity.name).toBe('Segunda herramienta');
  });

  it('shows the log entry of a publication as soon as it is integrated', async () => {
    const { id, queueId } = await publish('Tercera herramienta');
    // Read (and cache) the tool before its entry has an index, then wait for the index.
    await t.http.get(`/api/v1/public/tools/${id}`).expect(200);
    let index: number | null = null;
    for (let i = 0; i < 200 && index === null; i++) {
      index = (await t.http.get(`/api/v1/log/queue/${queueId}`).set(bearer(admin)).expect(200)).body.index ?? null;
      if (index === null) await sleep(20);
    }
    expect(index).not.toBeNull();
    const tool = (await t.http.get(`/api/v1/public/tools/${id}`).expect(200)).body;
    expect(tool.log.index).toBe(index);
  });

  it('serves the same answer again until a logged change, even when the database was altered behind its back', async () => {
    const { id } = await publish('Cuarta herramienta');
    const path = `/api/v1/public/tools/${id}`;
    // Once its entry is integrated, nothing logged happens until the agency below.
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const before = await t.http.get(path).expect(200);
    expect(before.body.agency.name).toBe('Fiscalía de Prueba (ficticia)');

    // Not through the service, so without a log entry: the cache cannot know, and keeps its answer.
    await t.sql('UPDATE agencies SET name = $1 WHERE id = $2', ['Renamed behind its back', agencyId]);
    const cached = await t.http.get(path).expect(200);
    expect(cached.body.agency.name).toBe('Fiscalía de Prueba (ficticia)');
    expect(cached.headers.etag).toBe(before.headers.etag);
    // A conditional request against the kept answer gets a 304, as from Express itself.
    await t.http.get(path).set('If-None-Match', before.headers.etag).expect(304);
    // A caller with a token is never served from the cache.
    expect((await t.http.get(path).set(bearer(admin)).expect(200)).body.agency.name).toBe('Renamed behind its back');

    // Any logged change (here an agency registered elsewhere) makes every kept answer stale.
    await t.createAgency('Another agency (fictional)', 'ES', 'police');
    const fresh = await t.http.get(path).expect(200);
    expect(fresh.body.agency.name).toBe('Renamed behind its back');
    expect(fresh.headers.etag).not.toBe(before.headers.etag);
  });

  it('computes a page once for a crowd asking for it at the same moment', async () => {
    const { id } = await publish('Quinta herramienta');
    // The same version throughout: its entry integrated before the crowd comes.
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const tools = t.app.get(PublicToolsService);
    const original = tools.tool.bind(tools);
    let computed = 0;
    // A slow database: the whole crowd arrives while the first request is still being answered.
    const slow = jest.spyOn(tools, 'tool').mockImplementation(async (toolId) => {
      computed++;
      await sleep(300);
      return original(toolId);
    });
    try {
      const crowd = await Promise.all(Array.from({ length: 12 }, () => t.http.get(`/api/v1/public/tools/${id}`).expect(200)));
      expect(computed).toBe(1);
      expect(new Set(crowd.map((res) => res.headers.etag)).size).toBe(1);
      expect(crowd.every((res) => res.body.content.identity.name === 'Quinta herramienta')).toBe(true);
    } finally {
      slow.mockRestore();
    }
  });
});

// After the other app is closed: on the embedded database a test worker has one session.
describe('the public cache with PUBLIC_CACHE_MB=0', () => {
  let uncached: TestApp;
  beforeAll(async () => {
    uncached = await startTestApp({ PUBLIC_CACHE_MB: '0' });
  });
  afterAll(() => uncached.close());

  it('serves every answer afresh', async () => {
    const agency = await uncached.createAgency('Policía sin caché (ficticia)', 'CR', 'police');
    const { id } = await publishTool(
      uncached,
      await uncached.token(['agency_editor'], { agencyId: agency, sub: 'editor' }),
      await uncached.token(['agency_approver'], { agencyId: agency, sub: 'approver' }),
      'Herramienta sin caché',
    );
    const path = `/api/v1/public/tools/${id}`;
    expect((await uncached.http.get(path).expect(200)).body.agency.name).toBe('Policía sin caché (ficticia)');
    await uncached.sql('UPDATE agencies SET name = $1 WHERE id = $2', ['Changed directly', agency]);
    const res = await uncached.http.get(path).expect(200);
    expect(res.body.agency.name).toBe('Changed directly');
    // Browsers and proxies may still keep it for a minute, as they always could.
    expect(res.headers['cache-control']).toContain('max-age=60');
  });
});
