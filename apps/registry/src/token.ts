import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isUUID } from 'class-validator';
import { ROLES, AGENCY_ROLES, type Role } from './auth/auth-user.js';
import { DevIssuer } from './auth/dev-issuer.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';

const USAGE = `Usage: npm run -s token -- --role <role> [--role <role>] [--agency <agency id>] [--sub <user id>] [--ttl <seconds>]
Roles: ${ROLES.join(', ')}. Agency roles (${AGENCY_ROLES.join(', ')}) need --agency.
Prints a development access token for the instance configured by DATA_DIR / .env.`;

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

const issuer = await DevIssuer.loadOrCreate(config.dataDir);
const token = await issuer.mint(config, {
  roles: roles as Role[],
  agencyId: args.agency?.toLowerCase(),
  sub: args.sub,
  ttlSeconds: ttl,
});
process.stdout.write(`${token}\n`);
