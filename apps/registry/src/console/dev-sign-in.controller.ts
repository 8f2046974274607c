import { Body, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service.js';
import { AGENCY_ROLES, ROLES, type Role } from '../auth/auth-user.js';
import { DevIssuer } from '../auth/dev-issuer.js';
import { AppConfig } from '../config/app-config.js';
import { allAgencies, ConsoleController, LanguagePipe, posted } from './console-common.js';
import { safeNext } from './console-home.controller.js';
import { ConsolePages } from './console-pages.js';
import { startSession } from './console-session.js';

const PERSON = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SESSION_TOKEN_SECONDS = 8 * 3600;

/**
 * The development sign-in: pick a person id, roles and an agency, and the console acts with a
 * token of the development issuer, verified like any other. The module registers this
 * controller only while the development issuer is on: with an external provider the route does
 * not exist (404).
 */
@ConsoleController('console/:lang/sign-in/development')
export class DevSignInController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly agencies: AgenciesService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  async signIn(@Param('lang', LanguagePipe) lang: string, @Body() body: Record<string, string | string[]>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const person = posted(body, 'person')?.trim() ?? '';
    const roles = [body.roles ?? []].flat().filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const agencyId = posted(body, 'agencyId') || undefined;
    const agencies = await allAgencies(this.agencies);
    const errors: Record<string, string> = {};
    if (!PERSON.test(person)) errors.person = 'signIn.dev.personInvalid';
    if (roles.length === 0) errors.roles = 'signIn.dev.rolesMissing';
    const needsAgency = roles.some((r) => AGENCY_ROLES.includes(r));
    if (needsAgency && !agencies.some((a) => a.id === agencyId)) errors.agencyId = 'signIn.dev.agencyMissing';
    if (Object.keys(errors).length > 0) {
      return this.pages.send(request, response, 'sign-in.njk', {
        next: safeNext(posted(body, 'next'), lang),
        development: true,
        agencies,
        roles: ROLES,
        values: { person, roles, agencyId },
        errors,
      }, 400);
    }
    const issuer = await DevIssuer.loadOrCreate(this.config.dataDir);
    const accessToken = await issuer.mint(this.config, { roles, agencyId: needsAgency ? agencyId : undefined, sub: person, ttlSeconds: SESSION_TOKEN_SECONDS });
    await startSession(request, { accessToken });
    response.set('Cache-Control', 'no-store').redirect(303, safeNext(posted(body, 'next'), lang));
  }
}
