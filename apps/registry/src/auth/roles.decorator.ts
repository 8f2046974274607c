import { SetMetadata } from '@nestjs/common';
import type { Role } from './auth-user.js';

export const ROLES_KEY = 'custodia:roles';

/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
