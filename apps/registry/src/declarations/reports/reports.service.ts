import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { agencyScope, canSeeAgency } from '../../auth/agency-scope.js';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import type { LogActor } from '../../log/log-entry.js';
import { type Logged, LogWriter } from '../../log/log-writer.service.js';
import { afterTimeCursor, type Page, toPage } from '../../pagination/page.js';
import type { ListReportsQuery, PublicReportDto, ReportStatus, ReportView } from './report.dto.js';

interface ReportRow {
  id: string;
  tool_id: string;
  agency_id: string;
  text: string;
  contact: string | null;
  status: ReportStatus;
  reply: string | null;
  replied_by: string | null;
  replied_at: Date | null;
  received_at: Date;
}

/** Who sent a public report, as the log records it: nobody in particular. */
const PUBLIC_ACTOR: LogActor = { id: 'public', roles: [] };

/**
 * Reports from the public that a declaration seems wrong or incomplete: received without an
 * account, read and answered or dismissed by the tool's agency or the oversight body. The
 * public sees how many a tool had and how many were answered, never their text. Each step is
 * logged with a digest of the report (never its contact address).
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
  ) {}

  /** A report on a published, public tool; undefined when the field against bots was filled (nothing kept). */
  async receive(toolId: string, dto: PublicReportDto, requestId: string): Promise<Logged<{ id: string; status: ReportStatus; receivedAt: string }> | undefined> {
    if (dto.website?.trim()) return undefined;
    return this.dataSource.transaction(async (m) => {
      const [tool] = await m.query<Array<{ agency_id: string }>>(
        'SELECT agency_id FROM tools WHERE id = $1 AND published_revision IS NOT NULL AND NOT non_public',
        [toolId],
      );
      if (!tool) throw new NotFoundException('There is no published tool with that id.');
      const [row] = await m.query<ReportRow[]>(
        'INSERT INTO public_reports (tool_id, agency_id, text, contact) VALUES ($1, $2, $3, $4) RETURNING *',
        [toolId, tool.agency_id, dto.text.trim(), dto.contact?.trim() || null],
      );
      const logEntry = await this.logStep(m, row, PUBLIC_ACTOR, 'report.receive', requestId);
      return { value: { id: row.id, status: row.status, receivedAt: row.received_at.toISOString() }, logEntry };
    });
  }

  async list(query: ListReportsQuery, user: AuthUser): Promise<Page<ReportView>> {
    const scope = agencyScope(user);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (scope.kind === 'agency') where.push(`agency_id = ${param(scope.agencyId)}`);
    if (query.toolId) where.push(`tool_id = ${param(query.toolId)}`);
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.cursor) where.push(afterTimeCursor(query.cursor, 'received_at', param));
    // Oldest first: the reports waiting longest come first.
    const rows = await this.dataSource.query<Array<ReportRow & { received_at_text: string }>>(
      `SELECT *, received_at::text AS received_at_text FROM public_reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY received_at, id LIMIT ${query.limit + 1}`,
      params,
    );
    return toPage(rows, query.limit, (row) => view(row, user), (row) => [row.received_at_text, row.id]);
  }

  /** Answers a report, or dismisses it with the reason: its agency's staff or the oversight body, once. */
  async reply(id: string, status: 'answered' | 'dismissed', reply: string, actor: Actor): Promise<Logged<ReportView>> {
    return this.dataSource.transaction(async (m) => {
      const [found] = await m.query<ReportRow[]>('SELECT * FROM public_reports WHERE id = $1 FOR UPDATE', [id]);
      if (!found || !canSeeAgency(actor, found.agency_id)) throw new NotFoundException('No such report.');
      if (found.status !== 'received') throw new ConflictException(`The report was already ${found.status}.`);
      const [[row]] = await m.query<[ReportRow[], number]>(
        `UPDATE public_reports SET status = $2, reply = $3, replied_by = $4, replied_at = now() WHERE id = $1 RETURNING *`,
        [id, status, reply, actor.id],
      );
      const logEntry = await this.logStep(m, row, actor, status === 'answered' ? 'report.answer' : 'report.dismiss', actor.requestId);
      return { value: view(row, actor), logEntry };
    });
  }

  // The entry holds a digest of the report and its reply: never the contact address, never the text itself.
  private logStep(m: EntityManager, row: ReportRow, actor: LogActor, action: string, requestId: string): Promise<string> {
    return this.log.append(m, {
      actor,
      action,
      subject: { type: 'report', id: row.id },
      content: { toolId: row.tool_id, text: row.text, status: row.status, reply: row.reply },
      requestId,
    });
  }
}

function view(row: ReportRow, user: AuthUser): ReportView {
  return {
    id: row.id,
    toolId: row.tool_id,
    agencyId: row.agency_id,
    text: row.text,
    ...(user.roles.includes('oversight') ? { contact: row.contact } : {}),
    status: row.status,
    reply: row.reply,
    repliedBy: row.replied_by,
    repliedAt: row.replied_at?.toISOString() ?? null,
    receivedAt: row.received_at.toISOString(),
  };
}
