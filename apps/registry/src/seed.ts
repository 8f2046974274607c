import { createApp } from './app.js';
import { DemoSeeder } from './seed/demo-seeder.js';
import { configFromEnvironment, openDatabase } from './service.js';

// `npm run seed`: loads the demonstration data into the registry whose DATABASE_URL (or DATA_DIR)
// is in the environment, through the same services as the API. Refuses a registry that has data.
const fail = (message: string): never => {
  console.error(`Cannot seed. ${message}`);
  process.exit(1);
};
const config = configFromEnvironment(process.env, fail);
const { database, embedded } = await openDatabase(config, fail);
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
