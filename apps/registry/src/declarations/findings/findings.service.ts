import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { agencyScope, canSeeAgency } from '../../auth/agency-scope.js';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import { type Logged, LogWriter } from '../../log/log-writer.service.js';
import { afterTimeCursor, type Page, toPage } from '../../pagination/page.js';
import { toolAgencyFor } from '../tools/tool-access.js';
import type { FindingStatus, FindingView, ListFindingsQuery, OpenFindingDto } from './finding.dto.js';

interface FindingRow {
  id: string;
  tool_id: string;
  agency_id: string;
  severity: string;
  title: string;
  body: string;
  status: FindingStatus;
  opened_by: string;
  opened_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  closing_note: string | null;
}

interface ResponseRow {
  id: string;
  finding_id: string;
  author_id: string;
  body: string;
  created_at: Date;
}

/** Oversight findings on a tool: opened and closed by the oversight body, answered by the agency. */
@Injectable()
export class FindingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
  ) {}

  async open(toolId: string, dto: OpenFindingDto, actor: Actor): Promise<Logged<FindingView>> {
    return this.dataSource.transaction(async (m) => {
      const agencyId = await toolAgencyFor(m, toolId, actor);
      const [row] = await m.query<FindingRow[]>(
        `INSERT INTO findings (tool_id, agency_id, severity, title, body, status, opened_by) VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING *`,
        [toolId, agencyId, dto.severity, dto.title, dto.body, actor.id],
      );
      return this.logged(m, row, actor, 'finding.open', { severity: dto.severity, title: dto.title, body: dto.body });
    });
  }

  async respond(id: string, body: string, actor: Actor): Promise<Logged<FindingView>> {
    return this.dataSource.transaction(async (m) => {
      const finding = await this.lock(m, id, actor);
      if (finding.agency_id !== actor.agencyId) throw new NotFoundException('No such finding.');
      if (finding.status === 'closed') throw new ConflictException('The finding is closed.');
      await m.query('INSERT INTO finding_responses (finding_id, author_id, body) VALUES ($1, $2, $3)', [id, actor.id, body]);
      const [[row]] = await m.query<[FindingRow[], number]>(`UPDATE findings SET status = 'answered' WHERE id = $1 RETURNING *`, [id]);
      return this.logged(m, row, actor, 'finding.respond', { body });
    });
  }

  async close(id: string, note: string | undefined, actor: Actor): Promise<Logged<FindingView>> {
    return this.dataSource.transaction(async (m) => {
      const finding = await this.lock(m, id, actor);
      if (finding.status === 'closed') throw new ConflictException('The finding is already closed.');
      const [[row]] = await m.query<[FindingRow[], number]>(
        `UPDATE findings SET status = 'closed', closed_by = $2, closed_at = now(), closing_note = $3 WHERE id = $1 RETURNING *`,
        [id, actor.id, note ?? null],
      );
      return this.logged(m, row, actor, 'finding.close', { note: note ?? null });
    });
  }

  async get(id: string, user: AuthUser): Promise<FindingView> {
    const [row] = await this.dataSource.query<FindingRow[]>('SELECT * FROM findings WHERE id = $1', [id]);
    if (!row || !canSeeAgency(user, row.agency_id)) throw new NotFoundException('No such finding.');
    return (await this.views(this.dataSource.manager, [row]))[0];
  }

  async list(query: ListFindingsQuery, user: AuthUser): Promise<Page<FindingView>> {
    const scope = agencyScope(user);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (scope.kind === 'agency') where.push(`agency_id = ${param(scope.agencyId)}`);
    if (query.agencyId) where.push(`agency_id = ${param(query.agencyId)}`);
    if (query.toolId) where.push(`tool_id = ${param(query.toolId)}`);
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.cursor) where.push(afterTimeCursor(query.cursor, 'opened_at', param));
    // Oldest first: the findings waiting longest come first.
    const rows = await this.dataSource.query<Array<FindingRow & { opened_at_text: string }>>(
      `SELECT *, opened_at::text AS opened_at_text FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY opened_at, id LIMIT ${query.limit + 1}`,
      params,
    );
    const views = await this.views(this.dataSource.manager, rows.slice(0, query.limit));
    const byId = new Map(views.map((v) => [v.id, v]));
    return toPage(rows, query.limit, (row) => byId.get(row.id)!, (row) => [row.opened_at_text, row.id]);
  }

  private async lock(m: EntityManager, id: string, actor: Actor): Promise<FindingRow> {
    const [row] = await m.query<FindingRow[]>('SELECT * FROM findings WHERE id = $1 FOR UPDATE', [id]);
    if (!row || !canSeeAgency(actor, row.agency_id)) throw new NotFoundException('No such finding.');
    return row;
  }

  private async logged(m: EntityManager, row: FindingRow, actor: Actor, action: string, content: Record<string, unknown>): Promise<Logged<FindingView>> {
    const logEntry = await this.log.append(m, {
      actor,
      action,
      subject: { type: 'finding', id: row.id },
      content: { toolId: row.tool_id, status: row.status, ...content },
      requestId: actor.requestId,
    });
    return { value: (await this.views(m, [row]))[0], logEntry };
  }

  private async views(m: EntityManager, rows: FindingRow[]): Promise<FindingView[]> {
    const responses = rows.length
      ? await m.query<ResponseRow[]>('SELECT * FROM finding_responses WHERE finding_id = ANY($1::uuid[]) ORDER BY created_at', [rows.map((r) => r.id)])
      : [];
    return rows.map((row) => ({
      id: row.id,
      toolId: row.tool_id,
      agencyId: row.agency_id,
      severity: row.severity,
      title: row.title,
      body: row.body,
      status: row.status,
      openedBy: row.opened_by,
      openedAt: row.opened_at.toISOString(),
      closedBy: row.closed_by,
      closedAt: row.closed_at?.toISOString() ?? null,
      closingNote: row.closing_note,
      responses: responses
        .filter((r) => r.finding_id === row.id)
        .map((r) => ({ id: r.id, authorId: r.author_id, body: r.body, createdAt: r.created_at.toISOString() })),
    }));
  }
}
