import { NotFoundException } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';

/**
 * Which agencies' records a caller may read: oversight reads every agency's, agency staff only
 * their own, anyone else none. The one place where agency isolation is decided.
 */
export type AgencyScope = { kind: 'all' } | { kind: 'agency'; agencyId: string } | { kind: 'none' };

export function agencyScope(user: AuthUser): AgencyScope {
  if (user.roles.includes('oversight')) return { kind: 'all' };
  if (user.agencyId) return { kind: 'agency', agencyId: user.agencyId };
  return { kind: 'none' };
}

export function canSeeAgency(user: AuthUser, agencyId: string): boolean {
  const scope = agencyScope(user);
  return scope.kind === 'all' || (scope.kind === 'agency' && scope.agencyId === agencyId);
}

/**
 * Throws 404, not 403, for another agency's record: its existence is not disclosed
 * (CONTRACT.md "Authentication").
 */
export function assertCanSeeAgency(user: AuthUser, agencyId: string, what = 'record'): void {
  if (!canSeeAgency(user, agencyId)) throw new NotFoundException(`No such ${what}.`);
}
