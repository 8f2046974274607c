import { Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ROLES } from '../auth/auth-user.js';
import { Roles } from '../auth/roles.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { originOf } from '../http/origin.js';
import { LANGUAGES } from '../public/portal/i18n.js';
import { userOf } from './console-auth.js';
import { allAgencies, ConsoleController, LanguagePipe } from './console-common.js';
import { ConsolePages } from './console-pages.js';
import { endSession } from './console-session.js';
import { OidcSignIn } from './oidc-sign-in.js';

/** The console's door: the language choice, the sign-in page, signing out and the start page. */
@ConsoleController('console')
export class ConsoleHomeController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly agencies: AgenciesService,
    private readonly config: AppConfig,
    private readonly oidc: OidcSignIn,
  ) {}

  @Get()
  chooseLanguage(@Req() request: Request, @Res() response: Response): void {
    const lang = request.acceptsLanguages(...LANGUAGES) || 'en';
    response.vary('Accept-Language').set('Cache-Control', 'no-store').redirect(302, `/console/${lang}`);
  }

  @Get(':lang')
  @Roles(...ROLES)
  async home(@Param('lang', LanguagePipe) _lang: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const user = userOf(request);
    const agency = user.agencyId ? await this.agencies.get(user.agencyId).catch(() => undefined) : undefined;
    const t = this.pages.t(request);
    this.pages.send(request, response, 'home.njk', { agency, roleNames: user.roles.map((role) => t(`roles.${role}`)).join(', ') });
  }

  @Get(':lang/sign-in')
  async signInPage(@Param('lang', LanguagePipe) lang: string, @Query('next') next: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (request.user) return response.set('Cache-Control', 'no-store').redirect(303, safeNext(next, lang));
    const development = this.config.auth.mode === 'development';
    const agencies = development ? await allAgencies(this.agencies) : [];
    this.pages.send(request, response, 'sign-in.njk', {
      next: safeNext(next, lang),
      oidc: this.oidc.enabled,
      issuer: this.config.auth.issuer,
      development,
      agencies,
      roles: ROLES,
      signedOut: request.query['signed-out'] !== undefined,
    });
  }

  @Post(':lang/sign-out')
  async signOut(@Param('lang', LanguagePipe) lang: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const idToken = request.session.idToken;
    await endSession(request, response);
    const signedOut = `/console/${lang}/sign-in?signed-out`;
    // With the provider's sign-in, its session ends too (where it offers an end-session endpoint), then back here.
    const atProvider = await this.oidc.endSessionUrl(idToken, `${originOf(request)}${signedOut}`);
    response.set('Cache-Control', 'no-store').redirect(303, atProvider?.href ?? signedOut);
  }
}

/** Where to go after signing in: only a console page of this service, never another site. */
export function safeNext(next: unknown, lang: string): string {
  return typeof next === 'string' && /^\/console\/[a-z]{2}(\/[A-Za-z0-9/_?=&#.%-]*)?$/.test(next) && !next.includes('//') ? next : `/console/${lang}`;
}

