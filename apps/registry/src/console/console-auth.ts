import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { ConsoleSessions, hasValidCsrfToken } from './console-session.js';
import { OidcSignIn } from './oidc-sign-in.js';

/** The console's session middleware (express-session on the registry database). */
@Injectable()
export class ConsoleSessionMiddleware implements NestMiddleware {
  constructor(private readonly sessions: ConsoleSessions) {}

  use(request: Request, response: Response, next: NextFunction): void {
    this.sessions.middleware(request, response, next);
  }
}

/**
 * Who is signed in: the session's access token verified exactly as the API verifies a bearer
 * token (issuer, audience, expiry, roles and agency claims), so that the same guards and
 * services then decide what the person may do. An expired or no longer valid token ends the
 * session's sign-in; the next page asks to sign in again.
 */
@Injectable()
export class ConsolePrincipalMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly oidc: OidcSignIn,
  ) {}

  async use(request: Request, _response: Response, next: NextFunction): Promise<void> {
    const session = request.session;
    if (session?.accessToken) {
      try {
        request.user = await this.tokens.verify(session.accessToken);
      } catch {
        request.user = await this.refreshed(request);
        if (!request.user) {
          delete session.accessToken;
          delete session.idToken;
          delete session.refreshToken;
          session.flash = { key: 'signIn.expired' };
        }
      }
    }
    next();
  }

  /** A new access token from the provider's refresh token, if there is one and it still works. */
  private async refreshed(request: Request): Promise<AuthUser | undefined> {
    const { refreshToken } = request.session;
    if (!refreshToken || !this.oidc.enabled) return undefined;
    try {
      const tokens = await this.oidc.refresh(refreshToken);
      const user = await this.tokens.verify(tokens.accessToken);
      Object.assign(request.session, tokens);
      return user;
    } catch {
      return undefined;
    }
  }
}

/** Refused because a form did not carry the session's CSRF token: nothing was changed. */
export class CsrfRefused extends ForbiddenException {
  constructor() {
    super('The form did not carry this session\'s CSRF token.');
  }
}

/** Every form post to the console must carry the session's CSRF token (synchronizer token, csrf-sync). */
@Injectable()
export class ConsoleCsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    if (!request.session || !hasValidCsrfToken(request)) throw new CsrfRefused();
    return true;
  }
}

/** The signed-in person (set by ConsolePrincipalMiddleware; the route's @Roles made sure there is one). */
export function userOf(request: Request): AuthUser {
  return request.user as AuthUser;
}

/** The signed-in person and this request, as the services record an action in the log. */
export function actorOf(request: Request): Actor {
  return { ...userOf(request), requestId: String(request.id) };
}
