import { NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanSeeAgency } from '../../auth/agency-scope.js';
import type { AuthUser } from '../../auth/auth-user.js';

/**
 * The records attached to a tool (assessments, authorisations, findings) follow the tool's own
 * access: its agency and the oversight body read them; only its agency writes them. 404 for
 * anyone else, so that another agency cannot learn the tool exists.
 */
export async function toolAgencyFor(m: EntityManager, toolId: string, user: AuthUser): Promise<string> {
  const [tool] = await m.query<Array<{ agency_id: string }>>('SELECT agency_id FROM tools WHERE id = $1', [toolId]);
  if (!tool) throw new NotFoundException('No such tool.');
  assertCanSeeAgency(user, tool.agency_id, 'tool');
  return tool.agency_id;
}

/** Locks a tool of the caller's own agency for a write to it or to a record attached to it. */
export async function lockOwnTool(m: EntityManager, toolId: string, user: AuthUser, what = 'tool'): Promise<void> {
  const [tool] = await m.query<Array<{ agency_id: string }>>('SELECT agency_id FROM tools WHERE id = $1 FOR UPDATE', [toolId]);
  if (!tool || tool.agency_id !== user.agencyId) throw new NotFoundException(`No such ${what}.`);
}
