import { Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { AppConfig } from '../config/app-config.js';

export interface SignInStart {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export interface SignedIn {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
}

/**
 * The console as an OpenID Connect client of AUTH_ISSUER (openid-client): the authorization
 * code flow with PKCE (S256), state and nonce, tokens refreshed when the provider gives a
 * refresh token, and RP-initiated sign-out where the provider offers it. The provider's
 * metadata is discovered on first use, so a provider that is down does not stop the service.
 */
@Injectable()
export class OidcSignIn {
  private readonly logger = new Logger(OidcSignIn.name);
  private configuration?: Promise<client.Configuration>;

  constructor(private readonly config: AppConfig) {}

  /** Whether the console signs in through the provider: an external issuer and a client id. */
  get enabled(): boolean {
    return this.config.auth.mode === 'oidc' && this.config.console.clientId !== undefined;
  }

  async start(redirectUri: string): Promise<SignInStart> {
    const configuration = await this.discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, codeVerifier, state, nonce };
  }

  /** Redeems the code the provider sent back to `callbackUrl`, checking PKCE, state and nonce. */
  async finish(callbackUrl: URL, expected: { codeVerifier: string; state: string; nonce: string }): Promise<SignedIn> {
    const tokens = await client.authorizationCodeGrant(await this.discovered(), callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    return { accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token };
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const tokens = await client.refreshTokenGrant(await this.discovered(), refreshToken);
    return { accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token ?? refreshToken };
  }

  /** Where to send the browser to end the provider's session too, if the provider has an end-session endpoint. */
  async endSessionUrl(idToken: string | undefined, returnTo: string): Promise<URL | undefined> {
    if (!this.enabled) return undefined;
    try {
      const configuration = await this.discovered();
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(configuration, { post_logout_redirect_uri: returnTo, ...(idToken ? { id_token_hint: idToken } : {}) });
    } catch (error) {
      this.logger.warn(`No sign-out at the provider: ${(error as Error).message}`);
      return undefined;
    }
  }

  private discovered(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined; // try again on the next sign-in
      throw error;
    });
    return this.configuration;
  }

  private discover(): Promise<client.Configuration> {
    const { issuer } = this.config.auth;
    const { clientId, clientSecret } = this.config.console;
    const auth = clientSecret ? client.ClientSecretBasic(clientSecret) : client.None();
    // A provider on plain http (a local test provider): allowed explicitly, never by default for https.
    const execute = new URL(issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [];
    return client.discovery(new URL(issuer), clientId!, undefined, auth, { execute });
  }
}
