import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 200);

// Values no field of any write accepts in place of a value of another type, and text meant to
// break out of SQL, HTML or JSON handling.
const PAYLOADS = [
  "'; DROP TABLE tools; --", "' OR '1'='1", '1; SELECT pg_sleep(10)', '$1', '\\x00', '\u0000',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '../../etc/passwd',
  '__proto__', 'constructor', 'prototype', '\ud800', '\u202e', 'ｒｏｌｅｓ', 'NaN', '-1e309',
];
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'isAdmin', 'roles', 'agency_id'];

const text = fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 50 }));
const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});
/** A value of another type than `valid`: never acceptable where `valid` was. */
function otherType(valid: unknown): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (typeof valid !== 'number') options.push(fc.oneof(fc.integer(), fc.double()));
  if (typeof valid !== 'boolean') options.push(fc.boolean());
  if (typeof valid !== 'string') options.push(text);
  if (!Array.isArray(valid)) options.push(fc.array(text, { maxLength: 5 }), deep.map((d) => [d]));
  if (valid === null || typeof valid !== 'object' || Array.isArray(valid)) options.push(fc.dictionary(text, text, { maxKeys: 5 }), deep);
  return fc.oneof(...options);
}

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length ? [prefix, ...children] : children;
}

function setAt(root: unknown, path: string[], replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

type Hostile = { kind: 'json'; body: unknown } | { kind: 'raw'; body: string };

/** Bodies every write must refuse: each is the valid body broken in one way that no valid body has. */
function hostileBodies(valid: Record<string, unknown>): fc.Arbitrary<Hostile> {
  const fields = paths(valid);
  const json = (body: fc.Arbitrary<unknown>) => body.map((b): Hostile => ({ kind: 'json', body: b }));
  const raw = (body: fc.Arbitrary<string>) => body.map((b): Hostile => ({ kind: 'raw', body: b }));
  return fc.oneof(
    // A field of the wrong type, at any depth.
    json(fc.constantFrom(...fields).chain((path) => otherType(path.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], valid)).map((v) => setAt(valid, path, v)))),
    // A field the body does not have, at the top or inside an object, named to pollute prototypes.
    json(fc.tuple(fc.constantFrom([], ...fields.filter((p) => typeof p.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], valid) === 'object')), fc.oneof(fc.constantFrom(...POLLUTING_KEYS.slice(3)), text.filter((k) => k.length > 0)), fc.jsonValue())
      .map(([path, key, value]) => {
        const copy = structuredClone(valid) as Record<string, unknown>;
        const node = (path as string[]).reduce<Record<string, unknown>>((n, k) => n[k] as Record<string, unknown>, copy);
        if (Array.isArray(node)) return { ...copy, [`unknown ${key}`]: value };
        node[`x-${key}`] = value;
        return copy;
      })),
    // Not an object at all.
    json(fc.oneof(fc.constant(null), fc.integer(), text, fc.array(fc.jsonValue(), { maxLength: 5 }), deep.map((d) => [d]))),
    // Text far beyond any limit, in a text field.
    json(fc.constantFrom(...fields.filter((p) => typeof p.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], valid) === 'string'))
      .chain((path) => fc.integer({ min: 25_000, max: 400_000 }).map((n) => setAt(valid, path, 'Ω'.repeat(n))))),
    // Prototype pollution and broken encodings, as raw JSON text (JSON.stringify cannot write them).
    raw(fc.constantFrom(...POLLUTING_KEYS.slice(0, 3)).map((key) => JSON.stringify(valid).replace(/^\{/, `{"${key}":{"roles":["admin"],"isAdmin":true},`))),
    raw(fc.constant(JSON.stringify(valid).replace(/^\{/, '{"a":"\\ud800\\udfff\\ud800",'))),
    raw(fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}{"b":2}', '\u0000', '{"a":"\u0000"', 'null null')),
  );
}

describe('hostile request bodies', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const etags: Record<string, string> = {};
  const as = bearer;

  async function snapshot(): Promise<string> {
    const tables = ['agencies', 'tools', 'tool_revisions', 'assessments', 'authorisations', 'findings', 'finding_responses', 'log_queue', 'reference_counters'];
    const digests = await Promise.all(tables.map(async (table) => {
      const [{ digest }] = await t.sql<{ digest: string }>(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest FROM ${table} x`);
      return `${table}:${digest}`;
    }));
    const checkpoint = (await t.http.get('/log/checkpoint').expect(200)).text.split('\n').slice(0, 3).join(' ');
    return [...digests, checkpoint].join('\n');
  }

  beforeAll(async () => {
    t = await startTestApp();
    const agencyId = await t.createAgency('Fiscalía Hostil', 'CR', 'prosecution');
    tokens.admin = await t.token(['admin']);
    tokens.editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    tokens.approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
    tokens.oversight = await t.token(['oversight'], { sub: 'oversight' });
    const tool = await t.http.post('/api/v1/tools').set(as(tokens.editor)).send({ content: exampleDeclaration() }).expect(201);
    ids.tool = tool.body.id;
    etags.tool = tool.headers.etag;
    let submitted = await t.http.post('/api/v1/tools').set(as(tokens.editor)).send({ content: exampleDeclaration() }).expect(201);
    submitted = await t.http.post(`/api/v1/tools/${submitted.body.id}/submit`).set(as(tokens.editor)).set('If-Match', submitted.headers.etag).expect(200);
    ids.submitted = submitted.body.id;
    etags.submitted = submitted.headers.etag;
    ids.authorisation = (await t.http.post(`/api/v1/tools/${ids.tool}/authorisations`).set(as(tokens.editor))
      .send({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-01-05', decidedOn: '2026-01-09', outcome: 'granted', validFrom: '2026-01-09', validUntil: '2027-01-09' } }).expect(201)).body.id;
    ids.finding = (await t.http.post(`/api/v1/tools/${ids.tool}/findings`).set(as(tokens.oversight)).send({ severity: 'low', title: 't', body: 'b' }).expect(201)).body.id;
    // The snapshots compare checkpoints: let the log integrate the setup's entries first.
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
  });
  afterAll(() => t.close());

  const writes: Array<{ name: string; method: 'post' | 'put'; path: () => string; token: string; ifMatch?: string; valid: () => Record<string, unknown> }> = [
    { name: 'POST /api/v1/agencies', method: 'post', path: () => '/api/v1/agencies', token: 'admin', valid: () => ({ name: 'Fiscalía Nueva', country: 'CR', kind: 'prosecution' }) },
    { name: 'POST /api/v1/tools', method: 'post', path: () => '/api/v1/tools', token: 'editor', valid: () => ({ content: exampleDeclaration(), nonPublic: false }) },
    { name: 'PUT /api/v1/tools/{id}/draft', method: 'put', path: () => `/api/v1/tools/${ids.tool}/draft`, token: 'editor', ifMatch: 'tool', valid: () => ({ content: exampleDeclaration() }) },
    { name: 'PUT /api/v1/tools/{id}/redactions', method: 'put', path: () => `/api/v1/tools/${ids.tool}/redactions`, token: 'editor', ifMatch: 'tool', valid: () => ({ redactions: [{ field: 'identity.version', reasonCode: 'public_security', reason: 'Security.' }] }) },
    { name: 'POST /api/v1/tools/{id}/reject', method: 'post', path: () => `/api/v1/tools/${ids.submitted}/reject`, token: 'approver', ifMatch: 'submitted', valid: () => ({ reason: 'Incomplete.' }) },
    { name: 'POST /api/v1/tools/{id}/assessments', method: 'post', path: () => `/api/v1/tools/${ids.tool}/assessments`, token: 'editor', valid: () => ({ kind: 'bias', content: exampleAssessment('bias') }) },
    { name: 'POST /api/v1/tools/{id}/authorisations', method: 'post', path: () => `/api/v1/tools/${ids.tool}/authorisations`, token: 'editor', valid: () => ({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-02-01', outcome: 'pending', urgency: { used: false } } }) },
    { name: 'POST /api/v1/authorisations/{aid}/revoke', method: 'post', path: () => `/api/v1/authorisations/${ids.authorisation}/revoke`, token: 'editor', valid: () => ({ reason: 'Annulled.' }) },
    { name: 'POST /api/v1/tools/{id}/findings', method: 'post', path: () => `/api/v1/tools/${ids.tool}/findings`, token: 'oversight', valid: () => ({ severity: 'high', title: 'Title', body: 'Body.' }) },
    { name: 'POST /api/v1/findings/{fid}/responses', method: 'post', path: () => `/api/v1/findings/${ids.finding}/responses`, token: 'editor', valid: () => ({ body: 'Answer.' }) },
    { name: 'POST /api/v1/findings/{fid}/close', method: 'post', path: () => `/api/v1/findings/${ids.finding}/close`, token: 'oversight', valid: () => ({ note: 'Closed.' }) },
  ];

  it.each(writes)('$name refuses every hostile body with a 4xx problem and changes nothing', async (write) => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileBodies(write.valid()), async (hostile) => {
        let request = t.http[write.method](write.path()).set(as(tokens[write.token]));
        if (write.ifMatch) request = request.set('If-Match', etags[write.ifMatch]);
        const res = await request.set('Content-Type', 'application/json').send(hostile.kind === 'raw' ? hostile.body : JSON.stringify(hostile.body));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
        expect(({} as Record<string, unknown>).roles).toBeUndefined(); // no prototype was polluted
      }),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toBe(before);
    recordResult({ area: 'hostile bodies', tried: write.name, cases: RUNS, held: `all 4xx problem+json (${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}); database and log unchanged` });
  });
});
