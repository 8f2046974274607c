import { describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { ConfigError, DEV_AUDIENCE, DEV_ISSUER, loadConfig } from './app-config.js';

const SIGNER = generateNoteKey('custodia.localhost/log').signerKey;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded database and the development issuer', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/data',
      databaseUrl: undefined,
      corsOrigins: [],
      auth: { mode: 'development', issuer: DEV_ISSUER, audience: DEV_AUDIENCE, rolesClaim: 'roles', agencyClaim: 'agency_id' },
    });
  });

  it('switches to OpenID Connect when a JWKS URL is set, with Keycloak claim paths', () => {
    const config = loadConfig({
      AUTH_JWKS_URL: 'https://idp.example/realms/x/protocol/openid-connect/certs',
      AUTH_ISSUER: 'https://idp.example/realms/x',
      AUTH_AUDIENCE: 'custodia-api',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      LOG_SIGNING_KEY: SIGNER,
    });
    expect(config.auth).toMatchObject({ mode: 'oidc', rolesClaim: 'realm_access.roles', audience: 'custodia-api' });
    expect(config.logSigningKey).toBe(SIGNER);
  });

  it('needs a log signing key with an external issuer, named after the log origin', () => {
    const oidc = { AUTH_JWKS_URL: 'https://idp.example/certs', AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'custodia' };
    expect(problemsOf(oidc)).toEqual([expect.stringContaining('LOG_SIGNING_KEY is required when AUTH_JWKS_URL is set')]);
    expect(problemsOf({ LOG_SIGNING_KEY: SIGNER, LOG_ORIGIN: 'other.example/log' })).toEqual([
      'LOG_SIGNING_KEY is a key for "custodia.localhost/log", but LOG_ORIGIN is "other.example/log"',
    ]);
    expect(problemsOf({ LOG_SIGNING_KEY: 'PRIVATE+KEY+nonsense' })).toEqual([expect.stringContaining('LOG_SIGNING_KEY must be a signed-note signer key')]);
    expect(problemsOf({ LOG_INTEGRATOR: 'maybe' })).toEqual(['LOG_INTEGRATOR must be one of on, off (got "maybe")']);
    expect(loadConfig({ LOG_INTEGRATOR: 'off' }).logIntegrator).toBe(false);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/custodia' }).databaseUrl).toBe('postgres://u@db:5432/custodia');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/custodia' }).databaseUrl).toBe('postgresql://u@db/custodia');
  });

  it('names every invalid variable at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      DATABASE_URL: 'mysql://db/x',
      AUTH_JWKS_URL: 'https://idp.example/certs',
      AUTH_ROLES_CLAIM: 'realm access',
      CORS_ORIGINS: 'https://ok.example, not a url',
      LOG_ORIGIN: 'has space',
      BODY_LIMIT_BYTES: '12',
      SOURCE_REPOSITORY: 'git@forge.example:custodia.git',
    });
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named.sort()).toEqual(
      [
        'AUTH_AUDIENCE',
        'AUTH_ISSUER',
        'AUTH_ROLES_CLAIM',
        'BODY_LIMIT_BYTES',
        'CORS_ORIGINS',
        'DATABASE_URL',
        'LOG_ORIGIN',
        'LOG_SIGNING_KEY',
        'PORT',
        'SOURCE_REPOSITORY',
      ].sort(),
    );
  });

  it('trusts no proxy by default, and the hops or proxy addresses TRUST_PROXY names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.0/255.255.255.0, fd00::/8 ,2001:db8::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.0/255.255.255.0',
      'fd00::/8',
      '2001:db8::1',
    ]);
    for (const wrong of ['true', 'proxy.internal', '10.0.0.0/33', '10.0.0.0/0', 'fd00::/ffff::', '10.0.0.1/8/8', 'loopback,-1']) {
      expect(problemsOf({ TRUST_PROXY: wrong })).toEqual([expect.stringMatching(/^TRUST_PROXY must be the number of proxies .* \(got "/)]);
    }
  });

  it('names the repository of the source for the verifier command only when told', () => {
    expect(loadConfig({}, '/srv').sourceRepository).toBeUndefined();
    expect(loadConfig({ SOURCE_REPOSITORY: 'https://forge.example/justice/custodia.git' }, '/srv').sourceRepository).toBe('https://forge.example/justice/custodia.git');
  });

  it('limits the log apart from the other public reads, higher by default', () => {
    expect(loadConfig({})).toMatchObject({ publicRateLimit: 600, publicLogRateLimit: 6000 });
    expect(loadConfig({ PUBLIC_LOG_RATE_LIMIT: '0' }).publicLogRateLimit).toBe(0);
    expect(problemsOf({ PUBLIC_LOG_RATE_LIMIT: 'lots' })).toEqual(['PUBLIC_LOG_RATE_LIMIT must be a whole number from 0 to 1000000 (got "lots")']);
  });

  it('keeps an absolute DATA_DIR and resolves a relative one against the working directory', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/custodia' }, '/srv').dataDir).toBe('/var/lib/custodia');
    expect(loadConfig({ DATA_DIR: 'state' }, '/srv').dataDir).toBe('/srv/state');
  });
});
