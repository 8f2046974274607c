import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';
import type { DatabaseSettings } from './database/database.module.js';
import { DataDirInUseError, EmbeddedDatabase } from './database/embedded-database.js';
import { DemoSeeder } from './seed/demo-seeder.js';

// `npm run seed`: loads the demonstration data into the registry whose DATABASE_URL (or DATA_DIR)
// is in the environment, through the same services as the API. Refuses a registry that has data.
loadDotEnv();
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
let embedded: EmbeddedDatabase | undefined;
let database: DatabaseSettings;
if (config.databaseUrl) {
  database = { url: config.databaseUrl, embedded: false };
} else {
  try {
    embedded = await EmbeddedDatabase.start(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(`${error.message} (stop the service to seed its embedded database).`);
      process.exit(1);
    }
    throw error;
  }
  database = { url: embedded.url, embedded: true };
}
const app = await createApp({ config: { ...config, logLevel: 'warn' }, database });
await app.init();
let status = 0;
try {
  if (await app.get(DemoSeeder).seed()) {
    console.log('Demonstration data loaded: 12 fictional agencies and their tools, all in the log.');
  } else {
    console.error('The registry already has agencies: demonstration data is only loaded into an empty registry.');
    status = 1;
  }
} finally {
  await app.close();
  await embedded?.stop();
}
process.exit(status);
