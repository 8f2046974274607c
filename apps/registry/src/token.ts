import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isUUID } from 'class-validator';
import { ROLES, AGENCY_ROLES, type Role } from './auth/auth-user.js';
import { DevIssuer } from './auth/dev-issuer.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';

const USAGE = `Usage: npm run -s token -- --role <role> [--role <role>] [--agency <agency id>] [--sub <user id>] [--ttl <seconds>]
Roles: ${ROLES.join(', ')}. Agency roles (${AGENCY_ROLES.join(', ')}) need --agency.
Prints a development access token for the instance configured by DATA_DIR / .env: signed with the
key that instance keeps in its DATA_DIR (made when it first starts), never a new one.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

loadDotEnv();
let args;
try {
  args = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      agency: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

if (process.env.AUTH_JWKS_URL?.trim()) {
  fail('An external OpenID Connect issuer is configured (AUTH_JWKS_URL): get tokens from it, not from here.');
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
if (config.auth.mode !== 'development') {
  fail('An external OpenID Connect issuer is configured (AUTH_JWKS_URL): get tokens from it, not from here.');
}

const roles = args.role ?? [];
if (roles.length === 0) fail('Give at least one --role.');
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length > 0) fail(`Unknown role: ${unknown.join(', ')}.`);
const needsAgency = roles.some((r) => AGENCY_ROLES.includes(r as Role));
if (needsAgency && !args.agency) fail('Agency roles need --agency <agency id> (see GET /api/v1/agencies).');
if (args.agency && !isUUID(args.agency)) {
  fail('--agency must be an agency id (a UUID).');
}
const ttl = args.ttl === undefined ? undefined : Number(args.ttl);
if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 30 * 86400)) {
  fail('--ttl must be a number of seconds from 1 to 2592000.');
}

// Never a key of our own: a token signed with a key the service does not have is refused (401).
const issuer = DevIssuer.load(config.dataDir);
if (!issuer) fail(noKey(config));
const mismatch = await runningServiceMismatch(config, issuer);
if (mismatch) fail(mismatch);
const token = await issuer.mint(config, {
  roles: roles as Role[],
  agencyId: args.agency?.toLowerCase(),
  sub: args.sub,
  ttlSeconds: ttl,
});
process.stdout.write(`${token}\n`);

/** Where this command looked, and how to point it at the service's own key. */
function noKey(config: AppConfig): string {
  const dataDir = process.env.DATA_DIR?.trim() ? `DATA_DIR=${process.env.DATA_DIR.trim()}` : 'DATA_DIR unset, so ./data';
  const database = config.databaseUrl ? ` The service on DATABASE_URL=${withoutPassword(config.databaseUrl)} keeps its development key in its own DATA_DIR too.` : '';
  return (
    `No development signing key in ${DevIssuer.keyPath(config.dataDir)} (${dataDir}, from ${process.cwd()}).${database}\n` +
    'A token must be signed with the key of the service that will read it, which makes its key when it starts. ' +
    'Run this command with the DATA_DIR (and .env) the running service was started with, or start the service first (npm start).'
  );
}

/**
 * Asks the service at HOST:PORT (if one answers there) which development key it signs with:
 * a token for another DATA_DIR would be refused by it, so say so now rather than after a 401.
 */
async function runningServiceMismatch(config: AppConfig, issuer: DevIssuer): Promise<string | undefined> {
  if (config.port === 0) return undefined;
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/api/v1/dev-issuer`;
  let keys: Array<{ kid?: string }>;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    keys = ((await response.json()) as { keys?: Array<{ kid?: string }> }).keys ?? [];
  } catch {
    return undefined; // no service there (yet): the key in DATA_DIR is the one it will use
  }
  if (keys.some((key) => key.kid === issuer.keyId)) return undefined;
  return (
    `The service at ${url.replace('/api/v1/dev-issuer', '')} signs with another development key (${keys.map((k) => k.kid).join(', ')}) ` +
    `than the one in ${DevIssuer.keyPath(config.dataDir)} (${issuer.keyId}): it would refuse this token.\n` +
    'Run this command with the DATA_DIR (and .env) that service was started with.'
  );
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
