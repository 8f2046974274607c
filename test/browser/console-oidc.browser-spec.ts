/// <reference lib="dom" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { AgenciesService } from '../../apps/registry/src/agencies/agencies.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/browser.js';

const CLIENT_ID = 'custodia-console';
const CLIENT_SECRET = 'a-test-client-secret-of-this-test-only';

// Signing in to the console through a real OpenID provider (oidc-provider, run here on loopback):
// authorization code flow with PKCE, the access token verified as the API verifies any, the
// provider's session ended at sign-out.
describe('console sign-in through an OpenID Connect provider', () => {
  let idp: Server;
  let issuer: string;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let agencyId: string;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
    idp = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

    t = await startTestApp({
      AUTH_ISSUER: issuer,
      AUTH_JWKS_URL: `${issuer}/jwks`,
      AUTH_AUDIENCE: 'custodia',
      CONSOLE_CLIENT_ID: CLIENT_ID,
      CONSOLE_CLIENT_SECRET: CLIENT_SECRET,
      CONSOLE_SESSION_SECRET: 'a-session-secret-for-this-test-only-0123456789',
      LOG_SIGNING_KEY: generateNoteKey('custodia.localhost/log').signerKey,
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // As the registry's administrator would, through the service (and so logged).
    const admin = { id: 'test-admin', roles: ['admin' as const], requestId: 'test' };
    agencyId = (await t.app.get(AgenciesService).create({ name: 'Policía de Prueba', country: 'CR', kind: 'police' }, admin)).value.id;

    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const provider = new Provider(issuer, {
      clients: [{
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${base}/console/oidc/callback`],
        post_logout_redirect_uris: [`${base}/console/en/sign-in?signed-out`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      }],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        // Access tokens as Keycloak's: JWTs for the API's audience, with the roles and agency claims.
        resourceIndicators: {
          enabled: true,
          defaultResource: () => 'urn:custodia:api',
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: 'openid', audience: 'custodia', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
      extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' ? { roles: ['agency_editor'], agency_id: agencyId } : undefined),
    });
    provider.on('grant.success', (ctx) => tokenRequests.push(String(ctx.oidc.params?.code_verifier ? 'with PKCE verifier' : 'without')));
    handle = provider.callback();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    idp?.closeAllConnections();
    await new Promise((resolve) => (idp ? idp.close(resolve) : resolve(undefined)));
  });

  it('signs in at the provider, acts with its roles and agency, and signs out at both ends', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/console/en/tools`);
    await page.waitForURL(/\/console\/en\/sign-in/);
    // No development sign-in with an external provider.
    await expect(page.getByRole('heading', { name: 'Development sign-in' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: `Sign in with ${issuer}` }).click();

    // The provider's own pages: any login and password, then consent.
    await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
    await page.locator('input[name=login]').fill('ana.editor');
    await page.locator('input[name=password]').fill('secret');
    await page.locator('button[type=submit]').click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL(`${base}/console/en/tools`);
    await expect(page.locator('.who').textContent()).resolves.toBe('Signed in as ana.editor');
    await expect(page.getByRole('link', { name: 'Declare a tool' }).count()).resolves.toBeGreaterThan(0);
    expect(tokenRequests).toEqual(['with PKCE verifier']);
    // The tokens stay on the server: the browser holds one opaque, HttpOnly cookie.
    // (Cookies are per host, not port: the provider's own, under its paths, are set on 127.0.0.1 too.)
    const ours = (await context.cookies(`${base}/console/en`)).filter((c) => c.path === '/console');
    expect(ours.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['custodia_console', true, 'Lax']]);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks whether to end its session too.
    await page.waitForURL(new RegExp(`^${issuer}/session/end`));
    await page.locator('button[autofocus], button[type=submit]').first().click();
    await page.waitForURL(`${base}/console/en/sign-in?signed-out`);
    await expect(page.locator('.flash').textContent()).resolves.toContain('You are signed out');
    await page.goto(`${base}/console/en/tools`);
    await page.waitForURL(/\/console\/en\/sign-in/);
    await context.close();
  });

  it('refuses a callback that no sign-in of this browser started', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const res = await page.goto(`${base}/console/oidc/callback?code=stolen&state=guess`);
    expect(res?.status()).toBe(400);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('no sign-in was under way in this browser');
    await context.close();
  });
});
