import { parseArgs } from 'node:util';
import { generateNoteKey, isValidKeyName } from '@custodia/tlog';

// `npm run -s log-key -- [--origin <origin>]`: a new checkpoint signing key for production, as
// a line for the environment file, and the verifier key to publish and pin in verifiers.
const { values } = parseArgs({ options: { origin: { type: 'string' } } });
const origin = values.origin ?? process.env.LOG_ORIGIN?.trim() ?? 'custodia.localhost/log';
if (!isValidKeyName(origin)) {
  console.error(`"${origin}" cannot be a log origin: no spaces or "+".`);
  process.exit(2);
}
const { signerKey, verifierKey } = generateNoteKey(origin);
console.log(`# Keep secret. Every instance of this deployment needs the same key.`);
console.log(`LOG_SIGNING_KEY=${signerKey}`);
console.log(`# Verifier key: publish it and pin it (npm run verify -- --key ...):`);
console.log(`# ${verifierKey}`);
