import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import { ValidationProblem } from '../../http/problem.js';
import { type Logged, LogWriter, SYSTEM_ACTOR } from '../../log/log-writer.service.js';
import { DeclarationValidator } from '../schema/declaration-validator.js';
import { lockOwnTool, toolAgencyFor } from '../tools/tool-access.js';
import type { AuthorisationStatus, AuthorisationView, CreateAuthorisationDto } from './authorisation.dto.js';
import { AUTHORISATION_SCHEMA } from './authorisation.schema.js';

interface AuthorisationRow {
  id: string;
  tool_id: string;
  content: Record<string, unknown>;
  status: AuthorisationStatus;
  valid_from: string | null;
  valid_until: string | null;
  author_id: string;
  created_at: Date;
  status_changed_at: Date;
  revocation_reason: string | null;
}

// Dates as 'YYYY-MM-DD' text, so that no time zone shifts a validity window.
const COLUMNS = `id, tool_id, content, status, valid_from::text, valid_until::text, author_id, created_at, status_changed_at, revocation_reason`;

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** SQL: the tool `t` has a granted authorisation valid on the date in parameter `day` (e.g. '$2'). */
export function validAuthorisation(day: string): string {
  return `EXISTS (SELECT 1 FROM authorisations a WHERE a.tool_id = t.id AND a.status = 'granted'
    AND a.valid_from <= ${day}::date AND a.valid_until >= ${day}::date)`;
}

/**
 * Authorisations of a tool's use: recorded by its agency, revocable, expired by a scheduled job
 * that also raises an oversight alert for every prohibited-practice tool in use left without a
 * valid one. Every state change is logged.
 */
@Injectable()
export class AuthorisationsService {
  private readonly logger = new Logger('Authorisations');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly validator: DeclarationValidator,
  ) {}

  async create(toolId: string, dto: CreateAuthorisationDto, actor: Actor): Promise<Logged<AuthorisationView>> {
    const errors = this.validator.contentErrors(dto.content, AUTHORISATION_SCHEMA);
    const { validFrom, validUntil, outcome } = dto.content as { validFrom?: string; validUntil?: string; outcome?: string };
    if (errors.length === 0 && validFrom && validUntil && validFrom > validUntil) {
      errors.push({ field: 'content.validUntil', message: 'content.validUntil must not be before validFrom' });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    return this.dataSource.transaction(async (m) => {
      await lockOwnTool(m, toolId, actor);
      const [row] = await m.query<AuthorisationRow[]>(
        `INSERT INTO authorisations (tool_id, content, status, valid_from, valid_until, author_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [toolId, dto.content, outcome, validFrom ?? null, validUntil ?? null, actor.id],
      );
      const logEntry = await this.log.append(m, {
        actor,
        action: 'authorisation.create',
        subject: { type: 'authorisation', id: row.id },
        content: { toolId, status: row.status, content: dto.content },
        requestId: actor.requestId,
      });
      return { value: view(row), logEntry };
    });
  }

  async list(toolId: string, user: AuthUser): Promise<AuthorisationView[]> {
    await toolAgencyFor(this.dataSource.manager, toolId, user);
    const rows = await this.dataSource.query<AuthorisationRow[]>(`SELECT ${COLUMNS} FROM authorisations WHERE tool_id = $1 ORDER BY created_at`, [toolId]);
    return rows.map((row) => view(row));
  }

  async revoke(id: string, reason: string, actor: Actor): Promise<Logged<AuthorisationView>> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<AuthorisationRow[]>(`SELECT ${COLUMNS} FROM authorisations WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw new NotFoundException('No such authorisation.');
      await lockOwnTool(m, row.tool_id, actor, 'authorisation');
      if (row.status !== 'granted') throw new ConflictException(`Only a granted authorisation can be revoked; this one is ${row.status}.`);
      const [revoked] = await updated(m,
        `UPDATE authorisations SET status = 'revoked', revocation_reason = $2, status_changed_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, reason],
      );
      const logEntry = await this.log.append(m, {
        actor,
        action: 'authorisation.revoke',
        subject: { type: 'authorisation', id },
        content: { toolId: row.tool_id, status: 'revoked' },
        reason,
        requestId: actor.requestId,
      });
      return { value: view(revoked), logEntry };
    });
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'authorisation-expiry' })
  async scheduledExpiry(): Promise<void> {
    try {
      const { expired, alerts } = await this.expireAndAlert(todayUtc());
      if (expired + alerts > 0) this.logger.log(`${expired} authorisations expired, ${alerts} oversight alerts raised`);
    } catch (error) {
      this.logger.error(`the authorisation check failed: ${(error as Error).message}`);
    }
  }

  /**
   * Marks every granted authorisation whose window ended before `today` as expired, and raises
   * an alert (once) for every published prohibited-practice tool in use without a valid
   * authorisation. One transaction; every change logged.
   */
  async expireAndAlert(today: string): Promise<{ expired: number; alerts: number }> {
    const requestId = `job-authorisation-expiry-${randomUUID()}`;
    return this.dataSource.transaction(async (m) => {
      const expired = await updated(m,
        `UPDATE authorisations SET status = 'expired', status_changed_at = now()
          WHERE status = 'granted' AND valid_until < $1::date RETURNING ${COLUMNS}`,
        [today],
      );
      for (const row of expired) {
        await this.log.append(m, {
          actor: SYSTEM_ACTOR,
          action: 'authorisation.expire',
          subject: { type: 'authorisation', id: row.id },
          content: { toolId: row.tool_id, status: 'expired', validUntil: row.valid_until },
          requestId,
        });
      }
      const unauthorised = await m.query<Array<{ id: string; reference: string }>>(
        `SELECT t.id, t.reference FROM tools t JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision
          WHERE r.content #>> '{classification,riskClass}' = 'prohibited_practice_exception'
            AND r.content #>> '{identity,lifecycle,status}' = 'in_use'
            AND NOT ${validAuthorisation('$1')}
            AND NOT EXISTS (SELECT 1 FROM oversight_alerts o WHERE o.kind = 'unauthorised-use' AND o.subject_id = t.id)`,
        [today],
      );
      for (const tool of unauthorised) {
        const details = { reference: tool.reference, since: today };
        const [alert] = await m.query<Array<{ id: string }>>(
          `INSERT INTO oversight_alerts (kind, tool_id, subject_id, details) VALUES ('unauthorised-use', $1, $1, $2) RETURNING id`,
          [tool.id, details],
        );
        await this.log.append(m, {
          actor: SYSTEM_ACTOR,
          action: 'alert.raise',
          subject: { type: 'oversight_alert', id: alert.id },
          content: { kind: 'unauthorised-use', toolId: tool.id, ...details },
          requestId,
        });
      }
      return { expired: expired.length, alerts: unauthorised.length };
    });
  }
}

/** The rows of an UPDATE … RETURNING (TypeORM answers UPDATE with [rows, count]). */
async function updated(m: EntityManager, sql: string, params: unknown[]): Promise<AuthorisationRow[]> {
  const [rows] = await m.query<[AuthorisationRow[], number]>(sql, params);
  return rows;
}

function view(row: AuthorisationRow, today = todayUtc()): AuthorisationView {
  return {
    id: row.id,
    toolId: row.tool_id,
    status: row.status,
    valid: row.status === 'granted' && row.valid_from! <= today && today <= row.valid_until!,
    content: row.content,
    authorId: row.author_id,
    revocationReason: row.revocation_reason,
    createdAt: row.created_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
  };
}
