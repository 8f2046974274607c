import { Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { TokenVerifier } from '../auth/token-verifier.js';
import { AppConfig } from '../config/app-config.js';
import { originOf } from '../http/origin.js';
import { isLanguage } from '../public/portal/i18n.js';
import { ConsoleController, LanguagePipe } from './console-common.js';
import { safeNext } from './console-home.controller.js';
import { ConsolePages } from './console-pages.js';
import { saveSession, startSession } from './console-session.js';
import { OidcSignIn } from './oidc-sign-in.js';

export const CALLBACK_PATH = '/console/oidc/callback';

/**
 * Signing in through the OpenID provider (AUTH_ISSUER): the sign-in link leads here, the browser goes
 * to the provider, and comes back to /console/oidc/callback with a code that only this session's
 * PKCE verifier redeems. Registered only when CONSOLE_CLIENT_ID is set with an external issuer.
 */
@ConsoleController('console')
export class OidcSignInController {
  private readonly logger = new Logger(OidcSignInController.name);

  constructor(
    private readonly oidc: OidcSignIn,
    private readonly tokens: TokenVerifier,
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  // A link, not a form: starting a sign-in changes nothing, and the page's CSP (form-action 'self')
  // would not let a form post be redirected to the provider.
  @Get(':lang/sign-in/oidc')
  async start(@Param('lang', LanguagePipe) lang: string, @Query('next') next: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const { url, codeVerifier, state, nonce } = await this.oidc.start(`${originOf(request)}${CALLBACK_PATH}`);
      request.session.signIn = { codeVerifier, state, nonce, next: safeNext(next, lang), lang };
      await saveSession(request);
      response.set('Cache-Control', 'no-store').redirect(303, url.href);
    } catch (error) {
      this.failed(request, response, lang, error, 502);
    }
  }

  @Get('oidc/callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const pending = request.session?.signIn;
    const lang = pending && isLanguage(pending.lang) ? pending.lang : 'en';
    if (!pending) return this.failed(request, response, lang, new Error('no sign-in was under way in this browser (or it has expired).'), 400);
    delete request.session.signIn;
    try {
      const signedIn = await this.oidc.finish(new URL(`${originOf(request)}${request.originalUrl}`), pending);
      // The access token must be one the API accepts (issuer, audience, roles claim), or nothing works.
      await this.tokens.verify(signedIn.accessToken);
      await startSession(request, signedIn);
      response.set('Cache-Control', 'no-store').redirect(303, pending.next);
    } catch (error) {
      this.failed(request, response, lang, error, 400);
    }
  }

  private failed(request: Request, response: Response, lang: string, error: unknown, status: number): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Console sign-in failed: ${reason}`);
    // The page is rendered in the language of the sign-in; its address is the callback's.
    request.originalUrl = `/console/${lang}/sign-in`;
    this.pages.send(request, response, 'sign-in.njk', { oidc: true, issuer: this.config.auth.issuer, failed: reason.endsWith('.') ? reason : `${reason}.`, next: `/console/${lang}` }, status);
  }
}
