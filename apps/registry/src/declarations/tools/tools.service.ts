import { ConflictException, ForbiddenException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { agencyScope, assertCanSeeAgency } from '../../auth/agency-scope.js';
import type { Actor, AuthUser } from '../../auth/auth-user.js';
import { ProblemException, ValidationProblem } from '../../http/problem.js';
import type { LogEntryInput } from '../../log/log-entry.js';
import { type Logged, LogWriter } from '../../log/log-writer.service.js';
import { decodeCursor, type Page, toPage } from '../../pagination/page.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { LegalLinksService } from '../legal-links/legal-links.service.js';
import { todayUtc, validAuthorisation } from '../authorisations/authorisations.service.js';
import { AUTHORISATION_REQUIRED, assessmentViolations, contentViolations, forTool, needsAuthorisation, type RuleViolation } from '../rules/publication-rules.js';
import { DeclarationValidator } from '../schema/declaration-validator.js';
import { publicContent, type Redaction } from '../schema/projection.js';
import type { CreateToolDto, ListToolsQuery, RevisionStatus, RevisionView, ToolView } from './tool.dto.js';

// Agency kinds in references: CR-POL-0007 is the 7th tool of a Costa Rican police agency.
const KIND_CODES: Record<string, string> = {
  police: 'POL', prosecution: 'PRO', judiciary: 'JUD', ministry: 'MIN', penitentiary: 'PEN',
  border: 'BOR', customs: 'CUS', financial_intelligence: 'FIU', other: 'OTH',
};

interface ToolRow {
  id: string;
  agency_id: string;
  reference: string;
  non_public: boolean;
  version: number;
  latest_revision: number;
  published_revision: number | null;
  redactions: Redaction[];
  created_at: Date;
  updated_at: Date;
}

interface RevisionRow {
  number: number;
  status: RevisionStatus;
  content: Record<string, unknown>;
  author_id: string;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  redactions: Redaction[] | null;
}

/** What one workflow step did, for its log entry. */
interface StepDone {
  action: string;
  revision: number;
  publicContent?: unknown;
  public?: boolean;
  reason?: string;
}

/** A tool as its agency and the oversight body see it, with the ETag of its current state. */
export interface VersionedTool {
  view: ToolView;
  etag: string;
}

/**
 * Tool declarations and their revision workflow: draft → submitted → published | rejected, four
 * eyes at publication, optimistic concurrency with If-Match, every step logged in its own
 * transaction.
 */
@Injectable()
export class ToolsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly validator: DeclarationValidator,
    private readonly assessments: AssessmentsService,
    private readonly legalLinks: LegalLinksService,
  ) {}

  async create(dto: CreateToolDto, actor: Actor): Promise<Logged<VersionedTool>> {
    this.validator.assertValidDraft(dto.content);
    if (!actor.agencyId) throw new ForbiddenException('Only agency staff declare tools.');
    const agencyId = actor.agencyId;
    return this.dataSource.transaction(async (m) => {
      const [agency] = await m.query<Array<{ country: string; kind: string }>>('SELECT country, kind FROM agencies WHERE id = $1', [agencyId]);
      if (!agency) throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'unknown-agency', 'Your token names an agency that is not registered.');
      const prefix = `${agency.country}-${KIND_CODES[agency.kind]}`;
      const [{ last }] = await m.query<Array<{ last: number }>>(
        `INSERT INTO reference_counters (prefix, last) VALUES ($1, 1)
         ON CONFLICT (prefix) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`,
        [prefix],
      );
      const [{ id }] = await m.query<Array<{ id: string }>>(
        'INSERT INTO tools (agency_id, reference, non_public) VALUES ($1, $2, $3) RETURNING id',
        [agencyId, `${prefix}-${String(last).padStart(4, '0')}`, dto.nonPublic === true],
      );
      await m.query(`INSERT INTO tool_revisions (tool_id, number, status, content, author_id) VALUES ($1, 1, 'draft', $2, $3)`, [
        id,
        dto.content,
        actor.id,
      ]);
      return this.logged(m, id, actor, 'tool.create', 1);
    });
  }

  async get(id: string, user: AuthUser): Promise<VersionedTool> {
    const tool = await this.findTool(this.dataSource.manager, id, user);
    const versioned = await this.versioned(this.dataSource.manager, tool);
    // The legal-basis links of the published revision as last checked: a broken one is the agency's
    // to mend. Read, not on every write's answer: no write changes them.
    if (tool.published_revision !== null) versioned.view.legalLinks = await this.legalLinks.forTool(tool.id);
    return versioned;
  }

  async list(query: ListToolsQuery, user: AuthUser): Promise<Page<ToolView>> {
    const scope = agencyScope(user);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    if (scope.kind === 'agency') where.push(`t.agency_id = ${param(scope.agencyId)}`);
    if (query.agencyId) where.push(`t.agency_id = ${param(query.agencyId)}`);
    if (query.status) where.push(`r.status = ${param(query.status)}`);
    if (query.riskClass) where.push(`r.content #>> '{classification,riskClass}' = ${param(query.riskClass)}`);
    if (query.q) {
      const like = param(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(t.reference ILIKE ${like} OR r.content #>> '{identity,name}' ILIKE ${like} OR r.content #>> '{identity,shortDescription}' ILIKE ${like})`);
    }
    if (query.cursor) {
      const [reference] = decodeCursor(query.cursor, ['string']);
      where.push(`t.reference > ${param(reference)}`);
    }
    const tools = await this.dataSource.query<ToolRow[]>(
      `SELECT t.* FROM tools t JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.latest_revision
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.reference LIMIT ${query.limit + 1}`,
      params,
    );
    const latest = await this.dataSource.query<Array<RevisionRow & { tool_id: string }>>(
      `SELECT r.* FROM tool_revisions r JOIN tools t ON t.id = r.tool_id AND t.latest_revision = r.number WHERE r.tool_id = ANY($1::uuid[])`,
      [tools.map((t) => t.id)],
    );
    const byTool = new Map(latest.map((r) => [r.tool_id, r]));
    return toPage(tools, query.limit, (tool) => this.view(tool, byTool.get(tool.id)!), (tool) => [tool.reference]);
  }

  async revisions(id: string, user: AuthUser): Promise<RevisionView[]> {
    await this.findTool(this.dataSource.manager, id, user);
    const rows = await this.dataSource.query<RevisionRow[]>('SELECT * FROM tool_revisions WHERE tool_id = $1 ORDER BY number', [id]);
    return rows.map((row) => revisionView(row, this.validator));
  }

  async revision(id: string, number: number, user: AuthUser): Promise<RevisionView> {
    await this.findTool(this.dataSource.manager, id, user);
    const [row] = await this.dataSource.query<RevisionRow[]>('SELECT * FROM tool_revisions WHERE tool_id = $1 AND number = $2', [id, number]);
    if (!row) throw new NotFoundException(`The tool has no revision ${number}.`);
    return revisionView(row, this.validator);
  }

  /** Replaces the open draft's content, or opens a new draft when none is open. */
  async saveDraft(id: string, content: Record<string, unknown>, ifMatch: string | undefined, actor: Actor): Promise<Logged<VersionedTool>> {
    this.validator.assertValidDraft(content);
    return this.change(id, ifMatch, actor, async (m, tool, open) => {
      if (open?.status === 'submitted') {
        throw new ConflictException(`Revision ${open.number} is submitted for approval: it must be published or rejected before the next change.`);
      }
      if (open) {
        await m.query('UPDATE tool_revisions SET content = $3, author_id = $4, updated_at = now() WHERE tool_id = $1 AND number = $2', [id, open.number, content, actor.id]);
        return { action: 'tool.draft.update', revision: open.number };
      }
      const number = tool.latest_revision + 1;
      await m.query(`INSERT INTO tool_revisions (tool_id, number, status, content, author_id) VALUES ($1, $2, 'draft', $3, $4)`, [id, number, content, actor.id]);
      await m.query('UPDATE tools SET latest_revision = $2 WHERE id = $1', [id, number]);
      return { action: 'tool.draft.open', revision: number };
    });
  }

  async submit(id: string, ifMatch: string | undefined, actor: Actor): Promise<Logged<VersionedTool>> {
    return this.change(id, ifMatch, actor, async (m, _tool, open) => {
      if (open?.status !== 'draft') throw new ConflictException('There is no draft to submit.');
      this.assertComplete(id, open, 'submitted');
      await m.query(`UPDATE tool_revisions SET status = 'submitted', submitted_at = now(), updated_at = now() WHERE tool_id = $1 AND number = $2`, [id, open.number]);
      return { action: 'tool.submit', revision: open.number };
    });
  }

  /** Four eyes: the approver may not be whoever last changed the revision. */
  async publish(id: string, ifMatch: string | undefined, actor: Actor): Promise<Logged<VersionedTool>> {
    return this.change(id, ifMatch, actor, async (m, tool, open) => {
      if (open?.status !== 'submitted') throw new ConflictException('There is no submitted revision to publish.');
      if (open.author_id === actor.id) {
        throw new ProblemException(HttpStatus.FORBIDDEN, 'four-eyes', `You last changed revision ${open.number}: another approver must publish it.`);
      }
      this.assertComplete(id, open, 'published');
      const violations = await this.blockers(m, id, open.content);
      if (violations.length > 0) {
        throw new ProblemException(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'rule-violated',
          `Revision ${open.number} cannot be published: ${violations.map((v) => `${v.message} ${v.fix}`).join(' ')}`,
          { rule: violations[0].rule, violations },
        );
      }
      await m.query(
        `UPDATE tool_revisions SET status = 'published', decided_at = now(), decided_by = $3, updated_at = now(), redactions = $4
          WHERE tool_id = $1 AND number = $2`,
        [id, open.number, actor.id, JSON.stringify(tool.redactions)],
      );
      await m.query('UPDATE tools SET published_revision = $2 WHERE id = $1', [id, open.number]);
      return {
        action: 'tool.publish',
        revision: open.number,
        publicContent: publicContent(open.content, tool.redactions),
        public: !tool.non_public,
      };
    });
  }

  /**
   * Replaces the redactions of restricted fields; they take effect with the next published
   * revision. Only `restricted` fields of the schema outside lists can be redacted.
   */
  async setRedactions(id: string, redactions: Redaction[], ifMatch: string | undefined, actor: Actor): Promise<Logged<VersionedTool>> {
    const errors: Array<{ field: string; message: string }> = [];
    const fields = redactions.map((r) => r.field);
    fields.forEach((field, i) => {
      if (fields.indexOf(field) !== i) errors.push({ field: `redactions.${i}.field`, message: `redactions.${i}.field ${field} is redacted twice` });
    });
    if (errors.length > 0) throw new ValidationProblem(errors);
    return this.change(id, ifMatch, actor, async (m, tool) => {
      const clean = redactions.map(({ field, reasonCode, reason }) => ({ field, reasonCode, reason }));
      await m.query('UPDATE tools SET redactions = $2 WHERE id = $1', [id, JSON.stringify(clean)]);
      const reason = clean.length ? `redacted: ${clean.map((r) => `${r.field} (${r.reasonCode})`).join(', ')}` : 'no redactions';
      return { action: 'tool.redactions.update', revision: tool.latest_revision, reason };
    });
  }

  async reject(id: string, reason: string, ifMatch: string | undefined, actor: Actor): Promise<Logged<VersionedTool>> {
    return this.change(id, ifMatch, actor, async (m, _tool, open) => {
      if (open?.status !== 'submitted') throw new ConflictException('There is no submitted revision to reject.');
      await m.query(
        `UPDATE tool_revisions SET status = 'rejected', decided_at = now(), decided_by = $3, decision_reason = $4, updated_at = now()
          WHERE tool_id = $1 AND number = $2`,
        [id, open.number, actor.id, reason],
      );
      return { action: 'tool.reject', revision: open.number, reason };
    });
  }

  /**
   * One workflow step on a tool of the caller's agency: locks the tool, checks If-Match
   * (428 without it, 412 when stale), applies the step, bumps the version and logs the step.
   */
  private async change(
    id: string,
    ifMatch: string | undefined,
    actor: Actor,
    step: (
      m: EntityManager,
      tool: ToolRow,
      open: RevisionRow | undefined,
    ) => Promise<StepDone>,
  ): Promise<Logged<VersionedTool>> {
    if (ifMatch === undefined) {
      throw new ProblemException(HttpStatus.PRECONDITION_REQUIRED, 'precondition-required', 'Send If-Match with the ETag of the tool you are changing.');
    }
    return this.dataSource.transaction(async (m) => {
      const tool = await this.findTool(m, id, actor, true);
      if (!actor.agencyId || actor.agencyId !== tool.agency_id) throw new NotFoundException('No such tool.');
      if (ifMatch !== etagOf(tool)) {
        throw new ProblemException(HttpStatus.PRECONDITION_FAILED, 'stale', 'The tool changed since you read it: fetch it again and reapply your change.');
      }
      const [open] = await m.query<RevisionRow[]>(
        `SELECT * FROM tool_revisions WHERE tool_id = $1 AND status IN ('draft', 'submitted')`,
        [id],
      );
      const done = await step(m, tool, open);
      await m.query('UPDATE tools SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
      const logged = await this.logged(m, id, actor, done.action, done.revision, done);
      if (done.action === 'tool.publish') {
        // The public view shows, for every published revision, the entry that published it.
        await m.query('INSERT INTO tool_publications (tool_id, revision, queue_id) VALUES ($1, $2, $3)', [id, done.revision, logged.logEntry]);
      }
      return logged;
    });
  }

  private async logged(
    m: EntityManager,
    id: string,
    actor: Actor,
    action: string,
    revision: number,
    extra: Partial<Pick<LogEntryInput, 'publicContent' | 'public' | 'reason'>> = {},
  ): Promise<Logged<VersionedTool>> {
    const [tool] = await m.query<ToolRow[]>('SELECT * FROM tools WHERE id = $1', [id]);
    const [changed] = await m.query<RevisionRow[]>('SELECT * FROM tool_revisions WHERE tool_id = $1 AND number = $2', [id, revision]);
    const logEntry = await this.log.append(m, {
      actor,
      action,
      subject: { type: 'tool', id, revision },
      content: changed.content,
      publicContent: extra.publicContent,
      public: extra.public ?? false,
      reason: extra.reason,
      requestId: actor.requestId,
    });
    return { value: await this.versioned(m, tool), logEntry };
  }

  private async findTool(m: EntityManager, id: string, user: AuthUser, forUpdate = false): Promise<ToolRow> {
    const [tool] = await m.query<ToolRow[]>(`SELECT * FROM tools WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    if (!tool) throw new NotFoundException('No such tool.');
    assertCanSeeAgency(user, tool.agency_id, 'tool');
    return tool;
  }

  private async versioned(m: EntityManager, tool: ToolRow): Promise<VersionedTool> {
    const [latest] = await m.query<RevisionRow[]>('SELECT * FROM tool_revisions WHERE tool_id = $1 AND number = $2', [tool.id, tool.latest_revision]);
    const view = this.view(tool, latest);
    // What would stop the open revision from being published now, so that nobody learns it only at publication.
    if (latest.status === 'draft' || latest.status === 'submitted') view.revision.blockers = await this.blockers(m, tool.id, latest.content);
    return { view, etag: etagOf(tool) };
  }

  /** The publication rules a revision's content breaks today, with the routes that fix them. */
  private async blockers(m: EntityManager, id: string, content: Record<string, unknown>): Promise<RuleViolation[]> {
    const violations = [...contentViolations(content), ...assessmentViolations(content, await this.assessments.current(m, id))];
    if (needsAuthorisation(content)) {
      const [{ valid }] = await m.query<Array<{ valid: boolean }>>(`SELECT ${validAuthorisation('$2')} AS valid FROM tools t WHERE t.id = $1`, [id, todayUtc()]);
      if (!valid) violations.push(AUTHORISATION_REQUIRED);
    }
    return forTool(violations, id);
  }

  /** Drafts may be partial; a revision is submitted and published only when complete (422 naming every gap). */
  private assertComplete(id: string, revision: RevisionRow, step: 'submitted' | 'published'): void {
    const errors = this.validator.incompleteness(revision.content);
    if (errors.length === 0) return;
    const fix = step === 'submitted'
      ? `Fill them in with PUT /api/v1/tools/${id}/draft, then submit again.`
      : `Reject it (POST /api/v1/tools/${id}/reject) so that its editors can complete it.`;
    throw new ProblemException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'incomplete',
      `Revision ${revision.number} cannot be ${step}: ${errors.length} ${errors.length === 1 ? 'field needs' : 'fields need'} attention first ` +
        `(${errors.map((e) => e.field.slice('content.'.length)).join(', ')}). ${fix}`,
      { errors },
    );
  }

  private view(tool: ToolRow, revision: RevisionRow): ToolView {
    return toolView(tool, revisionView(revision, this.validator));
  }
}

export function etagOf(tool: Pick<ToolRow, 'id' | 'version'>): string {
  return `"${tool.id}.${tool.version}"`;
}

function toolView(tool: ToolRow, revision: RevisionView): ToolView {
  return {
    id: tool.id,
    agencyId: tool.agency_id,
    reference: tool.reference,
    nonPublic: tool.non_public,
    latestRevision: tool.latest_revision,
    publishedRevision: tool.published_revision,
    redactions: tool.redactions,
    revision,
    createdAt: tool.created_at.toISOString(),
    updatedAt: tool.updated_at.toISOString(),
  };
}

function revisionView(row: RevisionRow, validator: DeclarationValidator): RevisionView {
  return {
    number: row.number,
    status: row.status,
    content: row.content,
    // What an open draft still lacks before it can be submitted (decided revisions were complete).
    missing: row.status === 'draft' ? validator.incompleteness(row.content).map((e) => e.field.slice('content.'.length)) : [],
    authorId: row.author_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    redactions: row.redactions,
  };
}
