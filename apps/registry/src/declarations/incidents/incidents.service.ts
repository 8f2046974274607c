import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { agencyScope, canSeeAgency } from '../../auth/agency-scope.js';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import { type Logged, LogWriter } from '../../log/log-writer.service.js';
import { afterTimeCursor, type Page, toPage } from '../../pagination/page.js';
import { todayUtc } from '../authorisations/authorisations.service.js';
import { DeclarationValidator } from '../schema/declaration-validator.js';
import { lockOwnTool, toolAgencyFor } from '../tools/tool-access.js';
import { incidentDeadline } from './incident-deadline.js';
import type { IncidentView, ListIncidentsQuery } from './incident.dto.js';
import { INCIDENT_SCHEMA } from './incident.schema.js';

interface IncidentRow {
  id: string;
  tool_id: string;
  agency_id: string;
  latest_version: number;
  created_at: Date;
}

interface VersionRow {
  incident_id: string;
  version: number;
  content: Record<string, unknown>;
  author_id: string;
  created_at: Date;
}

/**
 * Serious incidents on a tool (AI Act Art. 26(5), Art. 73): recorded by the tool's agency,
 * changed only by adding a version, each step logged; read by the agency and the oversight
 * body. The notification deadline is computed, and a late notification flagged, never refused.
 */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly validator: DeclarationValidator,
  ) {}

  async report(toolId: string, content: Record<string, unknown>, actor: Actor): Promise<Logged<IncidentView>> {
    this.validator.assertValidContent(content, INCIDENT_SCHEMA);
    return this.dataSource.transaction(async (m) => {
      await lockOwnTool(m, toolId, actor);
      const [row] = await m.query<IncidentRow[]>('INSERT INTO incidents (tool_id, agency_id) VALUES ($1, $2) RETURNING *', [toolId, actor.agencyId]);
      return this.addVersion(m, row, 1, content, actor, 'incident.report');
    });
  }

  async revise(id: string, content: Record<string, unknown>, actor: Actor): Promise<Logged<IncidentView>> {
    this.validator.assertValidContent(content, INCIDENT_SCHEMA);
    return this.dataSource.transaction(async (m) => {
      const [found] = await m.query<IncidentRow[]>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
      if (!found || found.agency_id !== actor.agencyId) throw new NotFoundException('No such incident.');
      const [[row]] = await m.query<[IncidentRow[], number]>('UPDATE incidents SET latest_version = latest_version + 1 WHERE id = $1 RETURNING *', [id]);
      return this.addVersion(m, row, row.latest_version, content, actor, 'incident.revise');
    });
  }

  async list(toolId: string, user: AuthUser): Promise<IncidentView[]> {
    await toolAgencyFor(this.dataSource.manager, toolId, user);
    const rows = await this.dataSource.query<IncidentRow[]>('SELECT * FROM incidents WHERE tool_id = $1 ORDER BY created_at', [toolId]);
    return this.views(this.dataSource.manager, rows);
  }

  /** Incidents across tools, newest first (oversight: all; agency staff: their agency's), by their latest status. */
  async listAll(query: ListIncidentsQuery, user: AuthUser): Promise<Page<IncidentView>> {
    const scope = agencyScope(user);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (scope.kind === 'agency') where.push(`i.agency_id = ${param(scope.agencyId)}`);
    if (query.toolId) where.push(`i.tool_id = ${param(query.toolId)}`);
    if (query.status) where.push(`v.content ->> 'status' = ${param(query.status)}`);
    if (query.cursor) where.push(afterTimeCursor(query.cursor, 'i.created_at', param, true));
    const rows = await this.dataSource.query<Array<IncidentRow & { created_at_text: string }>>(
      `SELECT i.*, i.created_at::text AS created_at_text FROM incidents i
         JOIN incident_versions v ON v.incident_id = i.id AND v.version = i.latest_version
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY i.created_at DESC, i.id DESC LIMIT ${query.limit + 1}`,
      params,
    );
    const page = toPage(rows, query.limit, (row) => row, (row) => [row.created_at_text, row.id]);
    return { items: await this.views(this.dataSource.manager, page.items), nextCursor: page.nextCursor };
  }

  async get(id: string, user: AuthUser): Promise<IncidentView> {
    const [row] = await this.dataSource.query<IncidentRow[]>('SELECT * FROM incidents WHERE id = $1', [id]);
    if (!row || !canSeeAgency(user, row.agency_id)) throw new NotFoundException('No such incident.');
    return (await this.views(this.dataSource.manager, [row]))[0]!;
  }

  private async addVersion(m: EntityManager, row: IncidentRow, version: number, content: Record<string, unknown>, actor: Actor, action: string): Promise<Logged<IncidentView>> {
    await m.query('INSERT INTO incident_versions (incident_id, version, content, author_id) VALUES ($1, $2, $3, $4)', [row.id, version, content, actor.id]);
    const logEntry = await this.log.append(m, {
      actor,
      action,
      subject: { type: 'incident', id: row.id, revision: version },
      content: { toolId: row.tool_id, version, content },
      requestId: actor.requestId,
    });
    return { value: (await this.views(m, [row]))[0]!, logEntry };
  }

  private async views(m: EntityManager, rows: IncidentRow[]): Promise<IncidentView[]> {
    const versions = rows.length
      ? await m.query<VersionRow[]>('SELECT * FROM incident_versions WHERE incident_id = ANY($1::uuid[]) ORDER BY version', [rows.map((r) => r.id)])
      : [];
    const today = todayUtc();
    return rows.map((row) => {
      const own = versions.filter((v) => v.incident_id === row.id);
      const latest = own[own.length - 1]!;
      return {
        id: row.id,
        toolId: row.tool_id,
        agencyId: row.agency_id,
        version: latest.version,
        content: latest.content,
        deadline: incidentDeadline(latest.content, today) ?? null,
        versions: own.map((v) => ({ version: v.version, content: v.content, authorId: v.author_id, createdAt: v.created_at.toISOString() })),
        createdAt: row.created_at.toISOString(),
      };
    });
  }
}
