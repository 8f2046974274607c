import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { type RunningService, runToken, startService } from './support/process.js';
import { recordResult } from './support/reliability.js';

// The service as it runs (`npm start`'s program), with its request logs on: what it sends and
// what it writes to its logs must never carry a secret.
describe('secure defaults', () => {
  let dataDir: string;
  let service: RunningService;
  let token: string;
  const signer = generateNoteKey('custodia.localhost/log');
  // The private seed: everything after PRIVATE+KEY+<name>+<key id>+ (base64 may itself hold a
  // "+", so not just the last part, which could then be a few letters found anywhere).
  const secretPart = signer.signerKey.split('+').slice(4).join('+');
  const responses: Array<{ path: string; status: number; headers: Headers; body: string }> = [];

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${service.url}${path}`, { redirect: 'manual', ...init });
    const entry = { path, status: res.status, headers: res.headers, body: await res.text() };
    responses.push(entry);
    return entry;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'custodia-secure-'));
    const env = { DATA_DIR: dataDir, LOG_SIGNING_KEY: signer.signerKey, LOG_LEVEL: 'info' };
    service = await startService(env);
    token = runToken(['--role', 'admin'], env).stdout.trim();
    const json = { 'Content-Type': 'application/json' };
    await call('/api/v1/agencies', { method: 'POST', headers: { ...json, Authorization: `Bearer ${token}`, Cookie: 'session=cookie-secret-value' }, body: JSON.stringify({ name: 'Defensoría', country: 'UY', kind: 'ministry' }) });
    await call('/api/v1/agencies', { method: 'POST', headers: { ...json, Authorization: `Bearer ${token}x` }, body: JSON.stringify({ name: 'Otra', country: 'UY', kind: 'ministry' }) });
    await call('/api/v1/agencies', { method: 'POST', headers: { ...json, Authorization: `Bearer ${token}` }, body: '{"name": broken' });
    for (const path of ['/', '/en', '/es/tools', '/en/verify', '/api/v1/log/key', '/log/checkpoint', '/api/v1/public/export.json', '/api/openapi.json', '/health/ready',
      '/log-signing-key', '/data/log-signing-key', '/assets/../log-signing-key', '/assets/%2e%2e/%2e%2e/package.json', '/api/v1/nothing-here']) {
      await call(path);
    }
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets no cookie, opens no CORS, and sends the helmet headers with a strict script policy on pages', () => {
    for (const res of responses) {
      expect([res.path, res.headers.get('set-cookie')]).toEqual([res.path, null]);
      expect([res.path, res.headers.get('access-control-allow-origin')]).toEqual([res.path, null]);
      expect([res.path, res.headers.get('x-content-type-options')]).toEqual([res.path, 'nosniff']);
      expect([res.path, res.headers.get('x-powered-by')]).toEqual([res.path, null]);
    }
    const page = responses.find((res) => res.path === '/en')!;
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(page.headers.get('strict-transport-security')).toContain('max-age=');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('never serves the log signing key, nor a stack trace', () => {
    for (const res of responses) {
      expect([res.path, res.body.includes(secretPart)]).toEqual([res.path, false]);
      expect([res.path, /\bat .+\.(js|ts):\d+/.test(res.body)]).toEqual([res.path, false]);
    }
    expect(responses.find((res) => res.path === '/api/v1/log/key')!.body).toContain(signer.verifierKey);
    for (const path of ['/log-signing-key', '/data/log-signing-key', '/assets/../log-signing-key', '/assets/%2e%2e/%2e%2e/package.json']) {
      expect([path, responses.find((res) => res.path === path)!.status]).toEqual([path, 404]);
    }
  });

  it('writes request logs without tokens, cookies or keys', async () => {
    await service.stop();
    const logs = service.output();
    expect(logs).toContain('"url":"/api/v1/agencies"');
    expect(logs.includes(token.split('.')[2])).toBe(false);
    expect(logs.includes(token.split('.')[1])).toBe(false);
    expect(logs.includes('cookie-secret-value')).toBe(false);
    expect(logs.includes(secretPart)).toBe(false);
    recordResult({ area: 'secure defaults', tried: 'responses and request logs of the running service (tokens, a cookie, the signing key, path traversal to the key file)', cases: responses.length, held: 'no secret in any response or log line; no cookie; CORS closed; helmet headers and CSP on every answer' });
  });
});
