import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { PROBLEM_CONTENT_TYPE, problemFor } from '../http/problem.js';

/** The public API and the portal pages (CONTRACT.md "Public view", "Portal pages"). */
export const PUBLIC_PATHS = ['/api/v1/public', '/en', '/es', '/pt', '/fr'];

/**
 * Per-client rate limit of the public side: `limit` requests a minute per address, counted in
 * this process. A client over it gets a 429 problem saying when to come back, and Retry-After.
 */
export function publicRateLimit(limit: number, page?: (request: Request, seconds: number) => string): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (request, response) => {
      const resetTime = (request as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      response.status(429).set('Retry-After', String(seconds));
      // A reader of the portal gets a page in their language; a program gets a problem.
      if (page && !request.originalUrl.startsWith('/api/')) {
        response.type('html').send(page(request, seconds));
        return;
      }
      const problem = {
        ...problemFor(429, `Too many requests from your address: at most ${limit} a minute. Try again in ${seconds} seconds.`),
        retryAfter: seconds,
        requestId: String(request.id),
      };
      response.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    },
  });
}
