import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parseCosignerKey, parseSignerKey } from '@custodia/tlog';

export type AuthMode = 'development' | 'oidc';

/** The service's settings, read once from the environment and validated at boot. */
export class AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  auth: {
    mode: AuthMode;
    issuer: string;
    audience: string;
    jwksUrl?: string;
    rolesClaim: string;
    agencyClaim: string;
  };
  /** The console (docs/console.md): its OpenID Connect client and its sessions. */
  console: ConsoleSettings;
  logOrigin: string;
  /** C2SP signed-note signer key for checkpoints; absent in development (one is generated). */
  logSigningKey?: string;
  /** Witnesses that get every new checkpoint to cosign (docs/witness.md): verifier key and submission URL. */
  witnesses: WitnessSetting[];
  /** How many of them must have cosigned a checkpoint for it to count as witnessed (alerts, readiness). */
  witnessQuorum: number;
  /** Whether this instance takes part in the election of the log's integrator. */
  logIntegrator: boolean;
  /** Demonstration data: true seeds an empty registry, false never; unset seeds a new embedded database. */
  seedDemo?: boolean;
  corsOrigins: string[];
  bodyLimitBytes: number;
  logLevel: string;
  /** Requests per minute one client may make to the public API, schema, agencies and portal; 0 turns the limit off. */
  publicRateLimit: number;
  /** Error reports an hour one client may send without a token (API and portal form); 0 turns the limit off. */
  publicReportRateLimit: number;
  /** Requests per minute one client may make to the log (tiles, checkpoint, proofs, entries); 0 turns the limit off. */
  publicLogRateLimit: number;
  /**
   * Express's `trust proxy`: false (no proxy: the client is the connection's peer), the number of
   * proxy hops in front, or the addresses and subnets of the proxies, whose X-Forwarded-For is believed.
   */
  trustProxy: false | number | string[];
  /** MiB of public answers kept in this process (0: none). */
  publicCacheMiB: number;
  /** Where this deployment's source (and so the independent verifier) is published, for the portal's verifier command. */
  sourceRepository?: string;
}

export interface ConsoleSettings {
  /** The console's client at the OpenID provider (AUTH_ISSUER); without it only the development sign-in exists. */
  clientId?: string;
  /** Its secret, for a confidential client; a public client signs in with PKCE alone. */
  clientSecret?: string;
  /** Signs the session cookie; absent in development (one is made in DATA_DIR). */
  sessionSecret?: string;
  /** How long a console session lasts without use. */
  sessionIdleMinutes: number;
}

export interface WitnessSetting {
  /** The witness's cosigner verifier key, <name>+<key id>+<base64(0x04 || key)>. */
  verifierKey: string;
  name: string;
  /** Its submission prefix: add-checkpoint is posted to <url>/add-checkpoint. */
  url: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEV_ISSUER = 'urn:custodia:dev-issuer';
export const DEV_AUDIENCE = 'custodia';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

/**
 * Reads and validates every setting; collects all problems before failing so that one start
 * tells the operator everything that is wrong, each problem naming its variable.
 */
export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const jwksUrl = read.url('AUTH_JWKS_URL', ['http:', 'https:']);
  const mode: AuthMode = jwksUrl ? 'oidc' : 'development';
  const issuer = read.text('AUTH_ISSUER') ?? (mode === 'development' ? DEV_ISSUER : undefined);
  const audience = read.text('AUTH_AUDIENCE') ?? (mode === 'development' ? DEV_AUDIENCE : undefined);
  if (mode === 'oidc' && !issuer) problems.push('AUTH_ISSUER is required when AUTH_JWKS_URL is set');
  if (mode === 'oidc' && !audience) problems.push('AUTH_AUDIENCE is required when AUTH_JWKS_URL is set');

  const dataDir = read.text('DATA_DIR') ?? './data';
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);

  const logOrigin = read.logOrigin('LOG_ORIGIN', 'custodia.localhost/log');
  const logSigningKey = read.signerKey('LOG_SIGNING_KEY', logOrigin);
  if (mode === 'oidc' && !env.LOG_SIGNING_KEY?.trim()) {
    problems.push('LOG_SIGNING_KEY is required when AUTH_JWKS_URL is set (development keys are for development only)');
  }

  const witnesses = read.witnesses('LOG_WITNESSES');
  const consoleSettings: ConsoleSettings = {
    clientId: read.text('CONSOLE_CLIENT_ID'),
    clientSecret: read.text('CONSOLE_CLIENT_SECRET'),
    sessionSecret: read.text('CONSOLE_SESSION_SECRET'),
    sessionIdleMinutes: read.integer('CONSOLE_SESSION_MINUTES', 60, 5, 24 * 60),
  };
  if (consoleSettings.sessionSecret !== undefined && consoleSettings.sessionSecret.length < 32) {
    problems.push('CONSOLE_SESSION_SECRET must be at least 32 characters');
  }
  if (mode === 'oidc' && consoleSettings.clientId && !consoleSettings.sessionSecret) {
    problems.push('CONSOLE_SESSION_SECRET is required when the console signs in through AUTH_ISSUER (CONSOLE_CLIENT_ID)');
  }
  const config: AppConfig = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.text('HOST') ?? '127.0.0.1',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    databaseUrl,
    auth: {
      mode,
      issuer: issuer ?? '',
      audience: audience ?? '',
      jwksUrl,
      rolesClaim: read.claimPath('AUTH_ROLES_CLAIM', 'roles'),
      agencyClaim: read.claimPath('AUTH_AGENCY_CLAIM', 'agency_id'),
    },
    console: consoleSettings,
    logOrigin,
    logSigningKey,
    logIntegrator: read.oneOf('LOG_INTEGRATOR', ['on', 'off'], 'on') === 'on',
    witnesses,
    witnessQuorum: read.integer('LOG_WITNESS_QUORUM', witnesses.length, witnesses.length ? 1 : 0, witnesses.length),
    seedDemo: { true: true, false: false, unset: undefined }[read.oneOf('SEED_DEMO', ['true', 'false'], 'unset') as 'true' | 'false' | 'unset'],
    corsOrigins: read.origins('CORS_ORIGINS'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    publicRateLimit: read.integer('PUBLIC_RATE_LIMIT', 600, 0, 1_000_000),
    publicLogRateLimit: read.integer('PUBLIC_LOG_RATE_LIMIT', 6000, 0, 1_000_000),
    publicReportRateLimit: read.integer('PUBLIC_REPORT_RATE_LIMIT', 10, 0, 1_000_000),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    publicCacheMiB: read.integer('PUBLIC_CACHE_MB', 64, 0, 4096),
    sourceRepository: read.url('SOURCE_REPOSITORY', ['https:', 'http:']),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf(name: string, allowed: string[], fallback: string): string {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if (allowed.includes(raw)) return raw;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (protocols.includes(url.protocol)) return raw;
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    return undefined;
  }

  claimPath(name: string, fallback: string): string {
    const raw = this.text(name) ?? fallback;
    if (/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/.test(raw)) return raw;
    this.problems.push(`${name} must be a claim name or dot path such as realm_access.roles (got "${raw}")`);
    return fallback;
  }

  // C2SP tlog-checkpoint: the origin is a schema-less URL-like line, no spaces or "+".
  logOrigin(name: string, fallback: string): string {
    const raw = this.text(name) ?? fallback;
    if (/^[^\s+]+$/.test(raw) && raw.length <= 255) return raw;
    this.problems.push(`${name} must be a single line without spaces or "+", e.g. registry.example.org/log`);
    return fallback;
  }

  // C2SP signed-note signer key: PRIVATE+KEY+<name>+<key id>+<base64>; its name must be the origin.
  signerKey(name: string, origin: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    try {
      const signer = parseSignerKey(raw);
      if (signer.name === origin) return raw;
      this.problems.push(`${name} is a key for "${signer.name}", but LOG_ORIGIN is "${origin}"`);
    } catch {
      this.problems.push(`${name} must be a signed-note signer key (PRIVATE+KEY+<origin>+<key id>+<base64>); see docs/operations.md`);
    }
    return undefined;
  }

  // What Express's `trust proxy` takes, except `true`: trusting every hop lets any client choose
  // the address it is counted under by sending its own X-Forwarded-For.
  trustProxy(name: string): false | number | string[] {
    const raw = this.text(name);
    if (raw === undefined) return false;
    if (/^\d+$/.test(raw)) return Number(raw) === 0 ? false : Number(raw);
    const proxies = raw.split(',').map((p) => p.trim()).filter(Boolean);
    const wrong = proxies.filter((proxy) => !isProxyAddress(proxy));
    if (wrong.length === 0) return proxies;
    this.problems.push(
      `${name} must be the number of proxies in front of the service, or a comma-separated list of their addresses or subnets ` +
        `(10.0.0.1, 10.0.0.0/8, fd00::/8) or of loopback, linklocal, uniquelocal (got "${wrong.join('", "')}")`,
    );
    return false;
  }

  // "<verifier key> <url>" per witness, separated by commas or new lines.
  witnesses(name: string): WitnessSetting[] {
    const raw = this.text(name);
    if (raw === undefined) return [];
    const out: WitnessSetting[] = [];
    for (const item of raw.split(/[,\n]/).map((w) => w.trim()).filter(Boolean)) {
      const [verifierKey, url, ...rest] = item.split(/\s+/);
      let witness: string | undefined;
      try {
        witness = parseCosignerKey(verifierKey).name;
      } catch {
        witness = undefined;
      }
      const validUrl = url !== undefined && /^https?:\/\//.test(url) && URL.canParse(url);
      if (!witness || !validUrl || rest.length > 0) {
        this.problems.push(`${name} must list "<witness verifier key> <http(s) URL>" entries separated by commas (got "${item}"); see docs/witness.md`);
        continue;
      }
      if (out.some((w) => w.verifierKey === verifierKey)) this.problems.push(`${name} names the witness ${witness} twice`);
      out.push({ verifierKey, name: witness, url: url.replace(/\/+$/, '') });
    }
    return out;
  }

  origins(name: string): string[] {
    const raw = this.text(name);
    if (raw === undefined) return [];
    const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!isOrigin(origin)) this.problems.push(`${name} must list origins such as https://portal.example.org (got "${origin}")`);
    }
    return origins;
  }
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, an address/prefix length or an IPv4 address/netmask, as proxy-addr reads them. */
function isProxyAddress(value: string): boolean {
  if (PROXY_RANGES.includes(value)) return true;
  const [address, range, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d+$/.test(range)) return Number(range) >= 1 && Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}
