import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TokenVerifier } from '../auth/token-verifier.js';
import type { AppConfig } from '../config/app-config.js';
import { NO_STORE, problemFor, sendProblem } from '../http/problem.js';
import { PortalRenderer } from './portal/portal-renderer.js';

/**
 * What anyone may read without a token (CONTRACT.md "Public view", "Portal pages", "Agencies"):
 * the public API, the schema, the agencies and the portal pages.
 */
export const PUBLIC_PATHS = ['/api/v1/public', '/api/v1/schema', '/api/v1/agencies', '/en', '/es', '/pt', '/fr'];
/** The audit log ("The audit log"): verifiers and monitors read it in bulk, a tile per 256 entries. */
export const LOG_PATHS = ['/log', '/api/v1/log'];

/**
 * The per-client limits of the public side: PUBLIC_RATE_LIMIT requests a minute to the public
 * reads and PUBLIC_LOG_RATE_LIMIT to the log, each counted apart; 0 turns one off.
 */
export function useRateLimits(app: NestExpressApplication, config: AppConfig): void {
  const identified = holdsValidToken(app.get(TokenVerifier));
  if (config.publicRateLimit > 0) {
    const portal = app.get(PortalRenderer);
    const page = (request: Request, seconds: number) => portal.render('rate-limited.njk', request, { seconds });
    app.use(PUBLIC_PATHS, publicRateLimit(config.publicRateLimit, identified, page));
    // The console's sign-in is open to anyone, and each visit may start a session: counted too.
    const signIn = publicRateLimit(config.publicRateLimit, () => Promise.resolve(false), page);
    app.use((request: Request, response: Response, next: NextFunction) => (CONSOLE_SIGN_IN.test(request.path) ? signIn(request, response, next) : next()));
  }
  if (config.publicLogRateLimit > 0) app.use(LOG_PATHS, publicRateLimit(config.publicLogRateLimit, identified));
  if (config.publicReportRateLimit > 0) {
    const portal = app.get(PortalRenderer);
    const page = (request: Request, seconds: number) => portal.render('rate-limited.njk', request, { seconds });
    const limit = publicRateLimit(config.publicReportRateLimit, identified, page, 'hour');
    app.use((request: Request, response: Response, next: NextFunction) => (request.method === 'POST' && REPORT_PATH.test(request.path) ? limit(request, response, next) : next()));
  }
}

/** The console's sign-in pages and forms (development and OpenID Connect). */
export const CONSOLE_SIGN_IN = /^\/console\/(en|es|pt|fr)\/sign-in(\/|$)|^\/console\/oidc\//;

/** Where the public sends error reports: the API and the portal's form. */
export const REPORT_PATH = /^\/(api\/v1\/public\/tools\/[^/]+\/reports|(en|es|pt|fr)\/tools\/[^/]+\/report)$/;

/**
 * Per-client rate limit: `limit` requests a minute per address, counted in this process. A
 * client over it gets a 429 problem saying when to come back, and Retry-After. Callers whose
 * token is valid are not counted: the limits are for anonymous traffic, as on every route that
 * needs a token (which has none). A token that does not verify is counted like no token.
 */
export function publicRateLimit(
  limit: number,
  identified: (request: Request) => Promise<boolean>,
  page?: (request: Request, seconds: number) => string,
  per: 'minute' | 'hour' = 'minute',
): RequestHandler {
  const windowMs = per === 'hour' ? 3_600_000 : 60_000;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: identified,
    handler: (request, response) => {
      const resetTime = (request as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      response.set('Retry-After', String(seconds));
      // A reader of the portal gets a page in their language; a program gets a problem.
      if (page && !request.originalUrl.startsWith('/api/')) {
        response.status(429).set('Cache-Control', NO_STORE).type('html').send(page(request, seconds));
        return;
      }
      const problem = {
        ...problemFor(429, `Too many requests from your address: at most ${limit} ${per === 'hour' ? 'an hour' : 'a minute'}. Try again in ${seconds} seconds.`),
        retryAfter: seconds,
        requestId: String(request.id),
      };
      sendProblem(response, problem);
    },
  });
}

function holdsValidToken(verifier: TokenVerifier): (request: Request) => Promise<boolean> {
  return async (request) => {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return false;
    try {
      await verifier.verifyFor(request, token);
      return true;
    } catch {
      return false;
    }
  };
}
