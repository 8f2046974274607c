import { isAbsolute, resolve } from 'node:path';
import { parseSignerKey } from '@custodia/tlog';

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
  logOrigin: string;
  /** C2SP signed-note signer key for checkpoints; absent in development (one is generated). */
  logSigningKey?: string;
  /** Whether this instance takes part in the election of the log's integrator. */
  logIntegrator: boolean;
  /** Demonstration data: true seeds an empty registry, false never; unset seeds a new embedded database. */
  seedDemo?: boolean;
  corsOrigins: string[];
  bodyLimitBytes: number;
  logLevel: string;
  /** Requests per minute one client may make to the public API and portal; 0 turns the limit off. */
  publicRateLimit: number;
  /** MiB of public answers kept in this process (0: none). */
  publicCacheMiB: number;
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
    logOrigin,
    logSigningKey,
    logIntegrator: read.oneOf('LOG_INTEGRATOR', ['on', 'off'], 'on') === 'on',
    seedDemo: { true: true, false: false, unset: undefined }[read.oneOf('SEED_DEMO', ['true', 'false'], 'unset') as 'true' | 'false' | 'unset'],
    corsOrigins: read.origins('CORS_ORIGINS'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    publicRateLimit: read.integer('PUBLIC_RATE_LIMIT', 600, 0, 1_000_000),
    publicCacheMiB: read.integer('PUBLIC_CACHE_MB', 64, 0, 4096),
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

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}
