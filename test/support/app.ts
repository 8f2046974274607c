import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../apps/registry/src/app.js';
import type { Role } from '../../apps/registry/src/auth/auth-user.js';
import { DevIssuer } from '../../apps/registry/src/auth/dev-issuer.js';
import { type AppConfig, loadConfig } from '../../apps/registry/src/config/app-config.js';
import { freshDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  database: TestDatabase;
  /** A development token, as `npm run token` mints it. */
  token(roles: Role[], options?: { agencyId?: string; sub?: string }): Promise<string>;
  /** Registers an agency through the API, as the registry operator would; returns its id. */
  createAgency(name: string, country: string, kind: string): Promise<string>;
  /** Runs SQL directly against the app's database (to check what was stored). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The real application module on a fresh database, configured through the environment variables. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await freshDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'custodia-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await createApp({ config, database: { url: database.url, embedded: database.embedded } });
  await app.init();
  const issuer = await DevIssuer.loadOrCreate(dataDir);
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    config,
    database,
    token: (roles, options = {}) => issuer.mint(config, { roles, ...options }),
    createAgency: async (name, country, kind) => {
      const admin = await issuer.mint(config, { roles: ['admin'] });
      const res = await http.post('/api/v1/agencies').set(bearer(admin)).send({ name, country, kind }).expect(201);
      return res.body.id as string;
    },
    // Through the app's own pool: on PGlite it holds the only session there is.
    sql: (text, params = []) => app.get(DataSource).query(text, params),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Authorization header for a bearer token. */
export function bearer(token: string | undefined): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** Reads a response body as text whatever its type (supertest parses only what it knows). */
export function asText(stream: request.Response, done: (error: Error | null, body: string) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
}
