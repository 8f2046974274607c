import { createApp } from './app.js';
import { LegalLinksService } from './declarations/legal-links/legal-links.service.js';
import { configFromEnvironment, openDatabase } from './service.js';

// `npm run check-links`: checks now every legal-basis link of the published declarations of the
// registry whose DATABASE_URL (or DATA_DIR) is in the environment, as the daily job does, and
// prints the links that do not answer. On the embedded database the service must be stopped.
const fail = (message: string): never => {
  console.error(`Cannot check the links. ${message}`);
  process.exit(1);
};
const config = configFromEnvironment(process.env, fail);
const { database, embedded } = await openDatabase(config, fail);
const app = await createApp({ config: { ...config, logLevel: 'warn', logIntegrator: false }, database });
await app.init();
try {
  const links = app.get(LegalLinksService);
  const run = await links.check();
  console.log(`${run.links} legal-basis links checked: ${run.links - run.broken - run.unreachable} answer, ${run.broken} broken, ${run.unreachable} unreachable (log entry ${run.logEntry}).`);
  for (const row of await links.broken()) console.log(`  ${row.reference}  ${row.url}  ${row.why}`);
} finally {
  await app.close();
  await embedded?.stop();
}
process.exit(0);
