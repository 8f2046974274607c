import { createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { generateNoteKey } from '@custodia/tlog';
import { DevIssuer } from '../apps/registry/src/auth/dev-issuer.js';
import { InvalidTokenError, TokenVerifier } from '../apps/registry/src/auth/token-verifier.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../apps/registry/src/config/app-config.js';
import { startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

// CONTRACT.md "Conventions" (authentication): only RS256, ES256 and EdDSA tokens with a good
// iss, aud, exp and sub pass; anything else is 401 problem+json, a wrong role 403.

type Claims = Record<string, unknown>;
type Key = CryptoKey | Uint8Array;
/** Builds the Authorization header value of one attempt; undefined sends none. */
type Credentials = () => Promise<string | undefined>;

interface SignOptions {
  alg: string;
  key: Key;
  kid?: string;
  typ?: string;
}

const MAX_TOKEN_LENGTH = 16_384;
const AGENCY_ID = '6f1c1f1e-7a3e-4c53-9a57-3f5b8f6f2b11';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string) => `Bearer ${token}`;

/** A well-formed claim set for this issuer and audience; an override set to undefined removes the claim. */
function claims(iss: string, aud: string | string[], overrides: Claims = {}): Claims {
  const all: Claims = { iss, aud, sub: randomUUID(), jti: randomUUID(), iat: now(), exp: now() + 600, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** Signs the claims with exactly the header asked for (no kid or typ unless given). */
function sign(payload: Claims, { alg, key, kid, typ }: SignOptions): Promise<string> {
  const header: JWTHeaderParameters = { alg };
  if (kid !== undefined) header.kid = kid;
  if (typ !== undefined) header.typ = typ;
  return new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(key);
}

/** The dev issuer's key pair, read from the key file the app created in its data folder. */
async function readDevKey(dataDir: string) {
  const jwk = JSON.parse(readFileSync(DevIssuer.keyPath(dataDir), 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return {
    kid: jwk.kid!,
    privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey,
    publicJwk,
    publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
  };
}

/** Tries to create an agency with a unique name and reports whether it was stored. */
async function attempt(t: TestApp, authorization: string | undefined) {
  const name = `Auth e2e ${randomUUID()}`;
  const post = t.http.post('/api/v1/agencies');
  if (authorization !== undefined) post.set('Authorization', authorization);
  const res = await post.send({ name, country: 'CR', kind: 'police' });
  const rows = await t.sql<{ id: string }>('SELECT id FROM agencies WHERE name = $1', [name]);
  return { res, name, stored: rows.map((row) => row.id) };
}

async function expectUnauthorized(t: TestApp, authorization: string | undefined, detail: RegExp): Promise<void> {
  const { res, stored } = await attempt(t, authorization);
  // Status and detail together, so that a failure shows why the app answered as it did.
  expect({ status: res.status, detail: res.body?.detail }).toEqual({ status: 401, detail: expect.stringMatching(detail) });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  // RFC 6750 §3.1: an error code only when credentials were sent.
  expect(res.headers['www-authenticate']).toBe(authorization === undefined ? 'Bearer' : INVALID_TOKEN);
  expect(res.body).toMatchObject({ type: expect.any(String), title: 'Unauthorized', status: 401 });
  expect(stored).toEqual([]);
}

/** Creates an agency with the token; returns the audit log entry it wrote. */
async function expectCreated(t: TestApp, token: string) {
  const { res, name, stored } = await attempt(t, bearer(token));
  expect({ status: res.status, detail: res.body?.detail }).toEqual({ status: 201, detail: undefined });
  expect(res.body).toMatchObject({ name, country: 'CR', kind: 'police' });
  expect(stored).toEqual([res.body.id]);
  const [row] = await t.sql<{ entry: Buffer }>('SELECT entry FROM log_queue WHERE id = $1', [res.headers['x-log-entry']]);
  return JSON.parse(row.entry.toString('utf8')) as { actor: { id: string; roles: string[] } };
}

async function expectForbidden(t: TestApp, token: string): Promise<void> {
  const { res, stored } = await attempt(t, bearer(token));
  expect({ status: res.status, detail: res.body?.detail }).toEqual({ status: 403, detail: expect.stringContaining('admin') });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toBeUndefined();
  expect(stored).toEqual([]);
}

describe('authentication with the development issuer', () => {
  let t: TestApp;
  let dev: Awaited<ReturnType<typeof readDevKey>>;
  let otherKey: CryptoKey;

  /** A token that is right in every respect unless the arguments say otherwise. */
  const devToken = (overrides: Claims = {}, options: Partial<SignOptions> = {}) =>
    sign(claims(DEV_ISSUER, DEV_AUDIENCE, { roles: ['admin'], ...overrides }), {
      alg: 'ES256',
      key: dev.privateKey,
      kid: dev.kid,
      typ: 'at+jwt',
      ...options,
    });

  /** An HS256 token keyed with the dev issuer's public key (the algorithm confusion attack). */
  const hmacWithPublicKey = (secret: () => string | Buffer) => async () =>
    bearer(await devToken({}, { alg: 'HS256', key: new Uint8Array(Buffer.from(secret())) }));

  beforeAll(async () => {
    t = await startTestApp();
    dev = await readDevKey(t.config.dataDir);
    ({ privateKey: otherKey } = await generateKeyPair('ES256'));
  });
  afterAll(() => t?.close());

  it('publishes its public key (never the private part), for the token command to compare', async () => {
    const res = await t.http.get('/api/v1/dev-issuer').expect(200);
    expect(res.body).toMatchObject({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: [{ kid: dev.kid, kty: 'EC', crv: 'P-256', use: 'sig' }] });
    expect(res.body.keys[0].d).toBeUndefined();
  });

  it('accepts a token it minted itself, recording its sub and roles as the actor', async () => {
    const entry = await expectCreated(t, await t.token(['admin'], { sub: 'auth-admin-1' }));
    expect(entry.actor).toEqual({ id: 'auth-admin-1', roles: ['admin'] });
  });

  it('accepts a hand-signed admin token (the helpers below only change one thing of it)', async () => {
    const sub = randomUUID();
    const entry = await expectCreated(t, await devToken({ sub }));
    expect(entry.actor).toEqual({ id: sub, roles: ['admin'] });
  });

  it('checks a token once per request, though the public rate limit and the guard both ask for it', async () => {
    await waitForTreeSize(t.http, 1);
    const verify = jest.spyOn(t.app.get(TokenVerifier), 'verify');
    try {
      const oversight = await t.token(['oversight']);
      for (const path of ['/api/v1/public/stats', '/log/checkpoint', '/api/v1/log/entries?limit=1', '/api/v1/tools']) {
        verify.mockClear();
        const res = await t.http.get(path).set('Authorization', bearer(oversight));
        expect([path, res.status, verify.mock.calls.length]).toEqual([path, 200, 1]);
      }
      // A bad token is refused, also checked once.
      verify.mockClear();
      const refused = await t.http.get('/api/v1/public/stats').set('Authorization', bearer(await devToken({}, { key: otherKey })));
      expect([refused.status, verify.mock.calls.length]).toEqual([401, 1]);
    } finally {
      verify.mockRestore();
    }
  });

  it('ignores roles it does not know', async () => {
    const entry = await expectCreated(t, await devToken({ roles: ['admin', 'offline_access'] }));
    expect(entry.actor.roles).toEqual(['admin']);
  });

  it.each([['JWT'], ['at+jwt'], ['AT+JWT'], ['application/at+jwt'], [undefined]])('accepts typ %s', async (typ) => {
    await expectCreated(t, await devToken({}, { typ }));
  });

  it('answers 403, not 401, to a valid token without the role', async () => {
    await expectForbidden(t, await devToken({ roles: ['oversight'] }));
    await expectForbidden(t, await devToken({ roles: ['agency_editor'], agency_id: AGENCY_ID }));
    await expectForbidden(t, await devToken({ roles: [] }));
  });

  const rejected: Array<[string, Credentials, RegExp]> = [
    ['no Authorization header', async () => undefined, /bearer token is required/],
    ['a valid token under the Basic scheme', async () => `Basic ${await devToken()}`, /bearer token is required/],
    ['an empty Bearer credential', async () => 'Bearer ', /bearer token is required/],
    ['a garbage token', async () => 'Bearer not-a-jwt', /malformed/],
    ['three garbage segments', async () => 'Bearer a.b.c', /malformed/],
    [
      'alg none (unsigned)',
      async () => {
        const [header, payload] = [{ alg: 'none', typ: 'JWT' }, claims(DEV_ISSUER, DEV_AUDIENCE, { roles: ['admin'] })];
        return bearer(`${base64url(header)}.${base64url(payload)}.`);
      },
      /algorithm/,
    ],
    [
      'HS256 keyed with the public key as PEM text',
      hmacWithPublicKey(() => dev.publicKey.export({ type: 'spki', format: 'pem' })),
      /algorithm/,
    ],
    [
      'HS256 keyed with the public key as SPKI DER bytes',
      hmacWithPublicKey(() => dev.publicKey.export({ type: 'spki', format: 'der' })),
      /algorithm/,
    ],
    ['HS256 keyed with the public JWK JSON', hmacWithPublicKey(() => JSON.stringify(dev.publicJwk)), /algorithm/],
    ['an expired token', async () => bearer(await devToken({ iat: now() - 660, exp: now() - 60 })), /expired/],
    ['a token not valid yet (nbf)', async () => bearer(await devToken({ nbf: now() + 60 })), /"nbf"/],
    ['a token without exp', async () => bearer(await devToken({ exp: undefined })), /"exp"/],
    ['a wrong issuer', async () => bearer(await devToken({ iss: 'https://evil.example' })), /"iss"/],
    ['a wrong audience', async () => bearer(await devToken({ aud: 'someone-else' })), /"aud"/],
    ['a token without sub', async () => bearer(await devToken({ sub: undefined })), /"sub"/],
    // The subject is written into the append-only log: only a plain string may get there.
    ['a numeric sub', async () => bearer(await devToken({ sub: 123 })), /"sub"/],
    ['an empty sub', async () => bearer(await devToken({ sub: '' })), /"sub"/],
    ['an object sub', async () => bearer(await devToken({ sub: { a: 1 } })), /"sub"/],
    ['a token without roles', async () => bearer(await devToken({ roles: undefined })), /"roles" list/],
    ['roles as a string', async () => bearer(await devToken({ roles: 'admin' })), /"roles" list/],
    ['roles with a non-string entry', async () => bearer(await devToken({ roles: ['admin', 1] })), /"roles" list/],
    ['an agency role without agency_id', async () => bearer(await devToken({ roles: ['agency_editor'] })), /"agency_id"/],
    [
      'an agency_id that is not a UUID',
      async () => bearer(await devToken({ roles: ['agency_editor'], agency_id: 'police-hq' })),
      /"agency_id"/,
    ],
    [
      'a payload changed to admin after signing',
      async () => {
        const [header, , signature] = (await devToken({ roles: ['oversight'] })).split('.');
        const forged = claims(DEV_ISSUER, DEV_AUDIENCE, { roles: ['admin'] });
        return bearer(`${header}.${base64url(forged)}.${signature}`);
      },
      /signature is invalid/,
    ],
    [
      'an unknown kid signed by another ES256 key',
      async () => bearer(await devToken({}, { key: otherKey, kid: 'attacker-key' })),
      // Where this service's tokens come from: the usual cause is a token minted for another DATA_DIR.
      /does not know\. Its development tokens come from `npm run -s token`, run with the DATA_DIR \(and \.env\) this service was started with/,
    ],
    [
      "the dev issuer's kid signed by another ES256 key",
      async () => bearer(await devToken({}, { key: otherKey })),
      /signature is invalid/,
    ],
    ['typ secevent+jwt', async () => bearer(await devToken({}, { typ: 'secevent+jwt' })), /not an access token/],
  ];

  it.each(rejected)('rejects %s with 401', async (_case, credentials, detail) => {
    await expectUnauthorized(t, await credentials(), detail);
    refused.push(_case);
  });
  const refused: string[] = [];
  afterAll(() => {
    if (refused.length === rejected.length) {
      recordResult({ area: 'tokens', tried: `forged, expired, mis-addressed and malformed tokens (${refused.join('; ')})`, cases: refused.length, held: '401 problem each, nothing created; over 16 KiB: 431 or 401' });
    }
  });

  it('accepts a large token under 16 KiB', async () => {
    // base64url makes 4 characters of every 3 bytes.
    const token = await devToken({ padding: 'x'.repeat(11_000) });
    expect(token.length).toBeGreaterThan(14_500);
    await expectCreated(t, token);
  });

  it('refuses a token over 16 KiB, never with a 5xx and without creating anything', async () => {
    const token = await devToken({ padding: 'x'.repeat(16_384) });
    expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    // Node's own 16 KiB header limit answers 431 before the app sees the request; with a larger
    // limit (--max-http-header-size) the verifier's length check answers 401.
    const { res, stored } = await attempt(t, bearer(token));
    expect([401, 431]).toContain(res.status);
    expect(stored).toEqual([]);
    await expect(t.app.get(TokenVerifier).verify(token)).rejects.toThrow(new InvalidTokenError('The token is too large.'));
  });
});

describe('authentication with an external OpenID Connect provider', () => {
  const ISSUER = 'https://idp.example/realms/custodia';
  const AUDIENCE = 'custodia-api';
  const JWKS_PATH = '/realms/custodia/protocol/openid-connect/certs';

  let t: TestApp;
  let jwks: Server;
  let jwksRequests = 0;
  let rsa: { key: CryptoKey; jwk: JWK };
  let ed: { key: CryptoKey; jwk: JWK };
  let strayEs256: CryptoKey;

  async function publishedKey(alg: 'RS256' | 'EdDSA', kid: string) {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    return { key: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
  }

  /** An access token as Keycloak issues it: roles under realm_access, more than one audience. */
  const keycloakClaims = (overrides: Claims = {}) =>
    claims(ISSUER, [AUDIENCE, 'account'], {
      typ: 'Bearer',
      azp: 'custodia-portal',
      scope: 'openid profile email',
      preferred_username: 'ana.admin',
      realm_access: { roles: ['admin', 'offline_access', 'uma_authorization', 'default-roles-custodia'] },
      resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
      ...overrides,
    });

  const rs256 = (payload: Claims) => sign(payload, { alg: 'RS256', key: rsa.key, kid: rsa.jwk.kid, typ: 'at+jwt' });

  beforeAll(async () => {
    rsa = await publishedKey('RS256', 'rsa-1');
    ed = await publishedKey('EdDSA', 'ed-1');
    ({ privateKey: strayEs256 } = await generateKeyPair('ES256'));
    jwks = createServer((req, res) => {
      jwksRequests++;
      if (req.url !== JWKS_PATH) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [rsa.jwk, ed.jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await startTestApp({
      AUTH_JWKS_URL: `http://127.0.0.1:${port}${JWKS_PATH}`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey,
    });
    expect(t.config.auth.mode).toBe('oidc');
  });
  afterAll(async () => {
    await t?.close();
    jwks?.closeAllConnections();
    await new Promise((resolve) => (jwks ? jwks.close(resolve) : resolve(undefined)));
  });

  it('has no development issuer key to show', async () => {
    await t.http.get('/api/v1/dev-issuer').expect(404);
  });

  it('accepts a Keycloak-shaped RS256 token, fetching the keys from the JWKS', async () => {
    const sub = randomUUID();
    const entry = await expectCreated(t, await rs256(keycloakClaims({ sub })));
    expect(entry.actor).toEqual({ id: sub, roles: ['admin'] });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('accepts the same token signed with EdDSA (Ed25519)', async () => {
    await expectCreated(t, await sign(keycloakClaims(), { alg: 'EdDSA', key: ed.key, kid: ed.jwk.kid, typ: 'at+jwt' }));
  });

  it('answers 403 to a provider token without the role', async () => {
    await expectForbidden(t, await rs256(keycloakClaims({ realm_access: { roles: ['oversight', 'offline_access'] } })));
  });

  const rejected: Array<[string, Credentials, RegExp]> = [
    [
      'an ES256 token from a key that is not in the JWKS',
      async () => bearer(await sign(keycloakClaims(), { alg: 'ES256', key: strayEs256, kid: 'custodia-dev', typ: 'at+jwt' })),
      /a key that the identity provider does not publish: get a new token from https:\/\/idp\./,
    ],
    [
      'HS256 keyed with the RSA public key',
      async () => {
        const pem = createPublicKey({ key: rsa.jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
        return bearer(await sign(keycloakClaims(), { alg: 'HS256', key: new Uint8Array(Buffer.from(pem)), kid: 'rsa-1' }));
      },
      /algorithm/,
    ],
    [
      'roles at the top level instead of realm_access.roles',
      async () => bearer(await rs256(keycloakClaims({ realm_access: undefined, roles: ['admin'] }))),
      /"realm_access\.roles" list/,
    ],
    [
      'another realm as issuer',
      async () => bearer(await rs256(keycloakClaims({ iss: 'https://idp.example/realms/other' }))),
      /"iss"/,
    ],
    ['the development issuer, which is off', async () => bearer(await t.token(['admin'])), /identity provider does not publish/],
  ];

  it.each(rejected)('rejects %s with 401', async (_case, credentials, detail) => {
    await expectUnauthorized(t, await credentials(), detail);
  });
});
