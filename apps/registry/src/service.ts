import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.js';
import { DevIssuer } from './auth/dev-issuer.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';
import type { DatabaseSettings } from './database/database.module.js';
import { DataDirInUseError, EmbeddedDatabase } from './database/embedded-database.js';
import { DemoSeeder } from './seed/demo-seeder.js';

/** The settings from the environment (and `.env`); a bad one ends the process, naming it. */
export function configFromEnvironment(env: NodeJS.ProcessEnv, fail: (message: string) => never): AppConfig {
  loadDotEnv();
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** The PostgreSQL server of DATABASE_URL, or the embedded one in DATA_DIR (locked for this process). */
export async function openDatabase(
  config: AppConfig,
  fail: (message: string) => never,
): Promise<{ database: DatabaseSettings; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { database: { url: config.databaseUrl, embedded: false } };
  try {
    const embedded = await EmbeddedDatabase.start(config.dataDir);
    return { database: { url: embedded.url, embedded: true }, embedded };
  } catch (error) {
    if (error instanceof DataDirInUseError) fail(error.message);
    throw error;
  }
}

/** Starts the service as `npm start` does: configuration, database, HTTP, clean shutdown. */
export async function runService(env: NodeJS.ProcessEnv): Promise<void> {
  const config = configFromEnvironment(env, fail);
  const { database, embedded } = await openDatabase(config, fail);
  if (config.auth.mode === 'development') await DevIssuer.loadOrCreate(config.dataDir);

  let app: NestExpressApplication;
  let seeded = false;
  try {
    app = await createApp({ config, database });
    await app.init();
    if (config.seedDemo ?? embedded?.created === true) seeded = await app.get(DemoSeeder).seed();
    await app.listen(config.port, config.host);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping Custodia.`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  printBanner(config, await app.getUrl(), embedded, seeded);
}

function printBanner(config: AppConfig, url: string, embedded?: EmbeddedDatabase, seeded = false): void {
  const base = url.replace('[::1]', 'localhost');
  const database = embedded
    ? `embedded PostgreSQL (PGlite), data in ${embedded.dataDir}${embedded.created ? ' (new)' : ''}`
    : `PostgreSQL at ${describeDatabase(config.databaseUrl!)}`;
  const auth =
    config.auth.mode === 'development'
      ? `development issuer; mint a token with: ${tokenCommand()}npm run -s token -- --role admin`
      : `OpenID Connect, issuer ${config.auth.issuer}`;
  console.log(
    [
      '',
      `Custodia is running at ${base}`,
      `  database: ${database}`,
      `  tokens:   ${auth}`,
      `  API docs: ${base}/api/docs`,
      ...(seeded ? ['  demo:     fictional agencies and tools loaded (SEED_DEMO=false to start empty)'] : []),
      `  try:      curl ${base}/api/v1/agencies`,
      '',
    ].join('\n'),
  );
}

// The token command must read this instance's key: name the settings it needs to find it.
function tokenCommand(): string {
  const value = (name: string) => process.env[name]?.trim();
  const port = value('PORT');
  return [value('DATA_DIR') && `DATA_DIR=${value('DATA_DIR')} `, port && port !== '0' && `PORT=${port} `].filter(Boolean).join('');
}

function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

function fail(message: string): never {
  console.error(`Custodia cannot start. ${message}`);
  process.exit(1);
}
