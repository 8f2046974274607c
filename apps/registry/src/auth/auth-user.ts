export const ROLES = ['agency_editor', 'agency_approver', 'oversight', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const AGENCY_ROLES: readonly Role[] = ['agency_editor', 'agency_approver'];

/** The caller, as established from a verified token. */
export interface AuthUser {
  /** The token's `sub`: an opaque id, never a name. */
  id: string;
  roles: Role[];
  /** Set when the caller holds an agency role. */
  agencyId?: string;
}

/** The caller plus the request it made: what a write records in the audit log. */
export interface Actor extends AuthUser {
  requestId: string;
}
