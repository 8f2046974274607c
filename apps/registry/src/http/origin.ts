import type { Request } from 'express';

/**
 * The scheme and host the client reached this service at (behind a proxy, as TRUST_PROXY lets
 * express believe X-Forwarded-*): for the addresses the service writes into what it answers.
 */
export function originOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}
