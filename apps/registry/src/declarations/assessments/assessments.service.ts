import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import { type Logged, LogWriter } from '../../log/log-writer.service.js';
import { DeclarationValidator } from '../schema/declaration-validator.js';
import { lockOwnTool, toolAgencyFor } from '../tools/tool-access.js';
import type { AssessmentView, CreateAssessmentDto } from './assessment.dto.js';
import { ASSESSMENT_SCHEMAS, type AssessmentKind } from './assessment.schemas.js';

interface AssessmentRow {
  id: string;
  tool_id: string;
  kind: AssessmentKind;
  content: Record<string, unknown>;
  author_id: string;
  supersedes: string | null;
  created_at: Date;
  current: boolean;
}

const SELECT = `SELECT a.*, NOT EXISTS (SELECT 1 FROM assessments n WHERE n.supersedes = a.id) AS current FROM assessments a`;

/** Assessments of a tool: validated against their kind's schema, never edited, superseded. */
@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly validator: DeclarationValidator,
  ) {}

  async create(toolId: string, dto: CreateAssessmentDto, actor: Actor): Promise<Logged<AssessmentView>> {
    this.validator.assertValidContent(dto.content, ASSESSMENT_SCHEMAS[dto.kind]);
    return this.dataSource.transaction(async (m) => {
      await lockOwnTool(m, toolId, actor);
      const [previous] = await m.query<AssessmentRow[]>(`${SELECT} WHERE a.tool_id = $1 AND a.kind = $2 ORDER BY a.created_at DESC LIMIT 1`, [toolId, dto.kind]);
      const [row] = await m.query<AssessmentRow[]>(
        `INSERT INTO assessments (tool_id, kind, content, author_id, supersedes) VALUES ($1, $2, $3, $4, $5) RETURNING *, true AS current`,
        [toolId, dto.kind, dto.content, actor.id, previous?.id ?? null],
      );
      const logEntry = await this.log.append(m, {
        actor,
        action: 'assessment.create',
        subject: { type: 'assessment', id: row.id },
        content: { toolId, kind: dto.kind, supersedes: row.supersedes, content: dto.content },
        requestId: actor.requestId,
      });
      return { value: view(row), logEntry };
    });
  }

  async list(toolId: string, user: AuthUser): Promise<AssessmentView[]> {
    await toolAgencyFor(this.dataSource.manager, toolId, user);
    const rows = await this.dataSource.query<AssessmentRow[]>(`${SELECT} WHERE a.tool_id = $1 ORDER BY a.kind, a.created_at`, [toolId]);
    return rows.map(view);
  }

  /** The latest assessment of each kind, for the publication rules. */
  async current(m: EntityManager, toolId: string): Promise<Partial<Record<AssessmentKind, Record<string, unknown>>>> {
    const rows = await m.query<AssessmentRow[]>(`${SELECT} WHERE a.tool_id = $1`, [toolId]);
    return Object.fromEntries(rows.filter((r) => r.current).map((r) => [r.kind, r.content]));
  }
}

function view(row: AssessmentRow): AssessmentView {
  return {
    id: row.id,
    toolId: row.tool_id,
    kind: row.kind,
    content: row.content,
    authorId: row.author_id,
    supersedes: row.supersedes,
    current: row.current,
    createdAt: row.created_at.toISOString(),
  };
}
