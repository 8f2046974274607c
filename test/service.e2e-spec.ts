import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatVerifierKey, parseSignerKey } from '@custodia/tlog';
import { DevIssuer } from '../apps/registry/src/auth/dev-issuer.js';
import { loadConfig } from '../apps/registry/src/config/app-config.js';
import { DEMO_AGENCIES, DEMO_TOOLS } from '../apps/registry/src/seed/demo-data.js';
import { freshDatabase, type TestDatabase } from './support/database.js';
import { runServiceToExit, runToken, startService } from './support/process.js';

// The built service and token command, run as `npm start` and `npm run token` run them.
describe('the service on the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'custodia-service-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on a new data folder, keeps its data across a restart, and refuses a second instance', async () => {
    const first = await startService({ DATA_DIR: dataDir });
    let agencyId: string;
    try {
      expect(first.output()).toContain(`data in ${dataDir} (new)`);
      expect(first.output()).toContain('npm run -s token -- --role admin');
      const ready = await fetch(`${first.url}/health/ready`);
      expect(ready.status).toBe(200);

      // Told where the service listens, the command checks that it signs with the same key.
      const port = new URL(first.url).port;
      const minted = runToken(['--role', 'admin'], { DATA_DIR: dataDir, PORT: port });
      expect(minted.status).toBe(0);
      const elsewhere = mkdtempSync(join(tmpdir(), 'custodia-other-'));
      try {
        await DevIssuer.loadOrCreate(elsewhere);
        const mismatched = runToken(['--role', 'admin'], { DATA_DIR: elsewhere, PORT: port });
        expect(mismatched).toMatchObject({ status: 2, stdout: '' });
        expect(mismatched.stderr).toContain(`The service at http://127.0.0.1:${port} signs with another development key`);
        expect(mismatched.stderr).toContain(`than the one in ${DevIssuer.keyPath(elsewhere)}`);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
      const token = minted.stdout.trim();
      expect(token.split('.')).toHaveLength(3);
      const created = await fetch(`${first.url}/api/v1/agencies`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Polícia Judiciária', country: 'PT', kind: 'police' }),
      });
      expect(created.status).toBe(201);
      agencyId = ((await created.json()) as { id: string }).id;

      const second = runServiceToExit({ DATA_DIR: dataDir });
      expect(second.status).not.toBe(0);
      expect(second.output).toContain('already using the data folder');
      // The first instance is unharmed.
      expect((await fetch(`${first.url}/api/v1/agencies/${agencyId}`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const again = await startService({ DATA_DIR: dataDir });
    try {
      expect(again.output()).not.toContain('(new)');
      const res = await fetch(`${again.url}/api/v1/agencies/${agencyId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ name: 'Polícia Judiciária', country: 'PT' });
    } finally {
      await again.stop();
    }
  });

  it('stops at boot with a message naming each invalid setting', () => {
    const result = runServiceToExit({ DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'loud', AUTH_JWKS_URL: 'ftp://x' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('PORT must be a whole number');
    expect(result.output).toContain('LOG_LEVEL must be one of');
    expect(result.output).toContain('AUTH_JWKS_URL must be a http: or https: URL');
    expect(result.output).not.toContain('Custodia is running');
  });
});

describe('the token command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'custodia-token-'));
  // What a service does when it first starts on dataDir: make its development key there.
  beforeAll(() => DevIssuer.loadOrCreate(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses where no service made a key, saying where it looked, and creates nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'custodia-token-empty-'));
    try {
      const missing = join(empty, 'not-yet');
      const result = runToken(['--role', 'admin'], { DATA_DIR: missing });
      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toContain(`No development signing key in ${DevIssuer.keyPath(missing)} (DATA_DIR=${missing}`);
      expect(result.stderr).toContain('Run this command with the DATA_DIR (and .env) the running service was started with');
      expect(existsSync(missing)).toBe(false);

      const onServer = runToken(['--role', 'admin'], { DATA_DIR: missing, DATABASE_URL: 'postgres://custodia:secret@db.internal:5432/custodia' });
      expect(onServer.stderr).toContain('The service on DATABASE_URL=postgres://custodia:***@db.internal:5432/custodia keeps its development key');
      expect(onServer.stderr).not.toContain('secret');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('mints a token carrying the roles, agency and subject asked for', () => {
    const agency = '6f1c1f1e-7a3e-4c53-9a57-3f5b8f6f2b11';
    const result = runToken(['--role', 'agency_editor', '--role', 'agency_approver', '--agency', agency, '--sub', 'u-7'], {
      DATA_DIR: dataDir,
    });
    expect(result.status).toBe(0);
    const [header, payload] = result.stdout.trim().split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'u-7', roles: ['agency_editor', 'agency_approver'], agency_id: agency });
  });

  it('refuses unknown roles, agency roles without an agency, and an external issuer', () => {
    expect(runToken(['--role', 'superuser'], { DATA_DIR: dataDir })).toMatchObject({ status: 2, stdout: '' });
    const noAgency = runToken(['--role', 'agency_editor'], { DATA_DIR: dataDir });
    expect(noAgency.status).toBe(2);
    expect(noAgency.stderr).toContain('--agency');
    const external = runToken(['--role', 'admin'], {
      DATA_DIR: dataDir,
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'custodia',
    });
    expect(external.status).toBe(2);
    expect(external.stderr).toContain('external OpenID Connect issuer');
  });
});

describe('demonstration data', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'custodia-demo-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is loaded through the services on the first start of a new embedded database, once', async () => {
    const service = await startService({ DATA_DIR: dataDir, SEED_DEMO: '' });
    try {
      expect(service.output()).toContain('demo:');
      const agencies = ((await (await fetch(`${service.url}/api/v1/agencies?limit=100`)).json()) as { items: Array<{ country: string; log: unknown }> }).items;
      expect(agencies).toHaveLength(12);
      expect(new Set(agencies.map((a) => a.country)).size).toBeGreaterThanOrEqual(10);
      const oversight = runToken(['--role', 'oversight'], { DATA_DIR: dataDir }).stdout.trim();
      const get = async (path: string) => (await fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${oversight}` } })).json() as Promise<Record<string, unknown>>;
      const tools = (await get('/api/v1/tools?limit=100')).items as Array<{ revision: { status: string; content: { classification: { riskClass: string } } } }>;
      expect(tools.length).toBeGreaterThanOrEqual(30);
      expect(new Set(tools.map((t) => t.revision.content.classification.riskClass)).size).toBe(5);
      expect(new Set(tools.map((t) => t.revision.status))).toEqual(new Set(['draft', 'submitted', 'published', 'rejected']));
      const { counts } = (await get('/api/v1/oversight/alerts')) as { counts: Record<string, number> };
      for (const kind of ['unauthorised-use', 'authorisation-expired', 'authorisation-expiring', 'failed-disparity', 'open-finding']) {
        expect([kind, counts[kind] > 0]).toEqual([kind, true]);
      }
      // Every record went through the log: each write queued an entry, and none is left out.
      const verifier = spawnSync(process.execPath, ['dist/apps/verifier/main.js', '--url', service.url], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { PATH: process.env.PATH, CUSTODIA_TOKEN: oversight },
        encoding: 'utf8',
      });
      // Every agency, and every published revision of every public tool.
      const revisions = DEMO_TOOLS.filter((tool) => tool.outcome === 'published' && !tool.nonPublic).reduce((n, tool) => n + (tool.revise ? 2 : 1), 0);
      expect(verifier.stdout).toContain(`${DEMO_AGENCIES.length + revisions} public records match their logged entries`);
      expect(verifier.status).toBe(0);
    } finally {
      await service.stop();
    }
    const again = spawnSync(process.execPath, ['dist/apps/registry/src/seed.js'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has agencies');
  });
});

describe('the log-key command', () => {
  it('prints a production signing key the service accepts and the verifier key to pin', () => {
    const result = spawnSync(process.execPath, ['dist/apps/registry/src/log-key.js', '--origin', 'registry.example.org/log'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const signerKey = /^LOG_SIGNING_KEY=(\S+)$/m.exec(result.stdout)![1];
    const verifierKey = /^# (registry\.example\.org\/log\+\S+)$/m.exec(result.stdout)![1];
    const config = loadConfig({ LOG_SIGNING_KEY: signerKey, LOG_ORIGIN: 'registry.example.org/log' });
    const signer = parseSignerKey(config.logSigningKey!);
    expect(formatVerifierKey(signer.name, signer.publicKey)).toBe(verifierKey);
  });
});

// Only in the run against a PostgreSQL server (.ci/run sets DATABASE_URL for it).
if (process.env.DATABASE_URL) describe('the service on a PostgreSQL server (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  it('applies its migrations and serves from that database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'custodia-pg-'));
    const service = await startService({ DATA_DIR: dataDir, DATABASE_URL: database.url });
    try {
      expect(service.output()).toContain('database: PostgreSQL at 127.0.0.1:5432');
      // Ready once an instance holds the integrator lock, which the election takes a moment to do.
      let ready = 0;
      for (let tries = 0; ready !== 200 && tries < 100; tries++) {
        ready = (await fetch(`${service.url}/health/ready`)).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toBe(200);
      expect((await fetch(`${service.url}/api/v1/agencies`)).status).toBe(200);
    } finally {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
