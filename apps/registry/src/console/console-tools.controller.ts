import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service.js';
import { Roles } from '../auth/roles.decorator.js';
import { ASSESSMENT_KINDS, ASSESSMENT_SCHEMAS, type AssessmentKind } from '../declarations/assessments/assessment.schemas.js';
import { CreateAssessmentDto } from '../declarations/assessments/assessment.dto.js';
import { AssessmentsService } from '../declarations/assessments/assessments.service.js';
import type { RuleViolation } from '../declarations/rules/publication-rules.js';
import { DECLARATION_SCHEMA } from '../declarations/schema/declaration.schema.js';
import { ListToolsQuery, RejectDto, type ToolView } from '../declarations/tools/tool.dto.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { problemOf } from '../http/problem.filter.js';
import { uuidParam } from '../http/uuid.pipe.js';
import { fromNlRecord, nlErrors, type NlRecord } from '../public/nl-register.js';
import { difference } from '../public/portal/difference.js';
import type { SchemaNode } from '../public/portal/present.js';
import { actorOf, userOf } from './console-auth.js';
import { allAgencies, asDto, byField, ConsoleController, definedOnly, type Form, LanguagePipe, nextPage, posted, text } from './console-common.js';
import { ConsolePages } from './console-pages.js';
import { ConsoleToolPage, toolPageLists } from './console-tool-page.js';
import { parse } from 'csv-parse/sync';
import { contentFromForm, csvIntoForm, CsvProblem, fieldErrors, type FieldErrors } from './schema-form.js';

const SCHEMA = DECLARATION_SCHEMA as unknown as SchemaNode;
/**
 * The console's pages on tools: the agency's list (oversight: every agency's), a tool with what
 * blocks its publication, the draft form generated from the declaration schema, submission,
 * the approver's review with its difference against the last published revision, and the
 * assessments. Every action calls the same service as the API, with the signed-in person as actor.
 */
@ConsoleController()
export class ConsoleToolsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly toolPage: ConsoleToolPage,
    private readonly tools: ToolsService,
    private readonly assessments: AssessmentsService,
    private readonly agencies: AgenciesService,
  ) {}

  @Get('tools')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  async list(@Param('lang', LanguagePipe) _lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filters = { q: text(raw.q), status: text(raw.status), riskClass: text(raw.riskClass), agencyId: text(raw.agencyId), cursor: text(raw.cursor) };
    const query = await asDto(ListToolsQuery, definedOnly(filters), 'query');
    const user = userOf(request);
    const page = await this.tools.list(query, user);
    // What blocks each listed draft or submitted revision (lists of the API leave it out; a page is 20 tools).
    const tools = await Promise.all(page.items.map(async (tool) => (tool.revision.status === 'draft' || tool.revision.status === 'submitted' ? (await this.tools.get(tool.id, user)).view : tool)));
    const agencies = user.roles.includes('oversight') ? await allAgencies(this.agencies) : [];
    const next = nextPage(filters, page.nextCursor);
    this.pages.send(request, response, 'tools.njk', { tools, filters, next, agencies, agencyNames: Object.fromEntries(agencies.map((a) => [a.id, a.name])), review: filters.status === 'submitted' });
  }

  @Get('tools/new')
  @Roles('agency_editor')
  newTool(@Param('lang', LanguagePipe) _lang: string, @Req() request: Request, @Res() response: Response): void {
    this.editPage(request, response, undefined, {}, new Map(), []);
  }

  @Post('tools')
  @Roles('agency_editor')
  async create(@Param('lang', LanguagePipe) lang: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const content = contentFromForm(SCHEMA, body);
    try {
      const { value } = await this.tools.create({ content, nonPublic: posted(body, 'nonPublic') === 'true' }, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${value.view.id}`, { key: 'done.created', values: { reference: value.view.reference } });
    } catch (error) {
      this.editFailed(request, response, error, undefined, content);
    }
  }

  @Get('tools/import')
  @Roles('agency_editor')
  importPage(@Param('lang', LanguagePipe) _lang: string, @Req() request: Request, @Res() response: Response): void {
    this.pages.send(request, response, 'import.njk', { record: '' });
  }

  /** One record of the Dutch register pasted as JSON: a new draft, and the fields it could not place, listed. */
  @Post('tools/import')
  @Roles('agency_editor')
  async importRecord(@Param('lang', LanguagePipe) _lang: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const text = posted(body, 'record') ?? '';
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return this.pages.send(request, response, 'import.njk', { record: text, errors: [this.pages.t(request)('import.notJson')] }, 400);
    }
    const errors = nlErrors(record);
    if (errors.length) return this.pages.send(request, response, 'import.njk', { record: text, errors: errors.map((e) => `${e.field}${this.pages.t(request)('punctuation.colon')} ${this.pages.inWords(request)(e.message.replace(`${e.field} `, ''))}`) }, 400);
    const { content, unmapped } = fromNlRecord(record as NlRecord);
    try {
      const { value } = await this.tools.create({ content }, actorOf(request));
      this.pages.send(request, response, 'import.njk', { imported: value.view, unmapped }, 201);
    } catch (error) {
      // What the register's record held but the declaration's rules refuse (a value too long, say).
      const refused = byField(error, this.pages.inWords(request));
      const colon = this.pages.t(request)('punctuation.colon');
      this.pages.send(request, response, 'import.njk', { record: text, errors: Object.entries(refused).map(([field, message]) => (field === 'form' ? message : `${field}${colon} ${message}`)) }, problemOf(error).status);
    }
  }

  @Get('tools/:id')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  async show(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.toolPage.send(request, response, id, { lists: toolPageLists(raw) });
  }

  @Get('tools/:id/edit')
  @Roles('agency_editor')
  async edit(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view, etag } = await this.tools.get(id, userOf(request));
    this.editPage(request, response, { view, etag }, view.revision.content, new Map(), []);
  }

  @Post('tools/:id/draft')
  @Roles('agency_editor')
  async saveDraft(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const content = contentFromForm(SCHEMA, body);
    try {
      const { value } = await this.tools.saveDraft(id, content, posted(body, 'etag'), actorOf(request));
      if (posted(body, 'then') === 'submit') {
        const submitted = await this.tools.submit(id, value.etag, actorOf(request));
        return this.pages.redirect(request, response, `/console/${lang}/tools/${id}`, { key: 'done.submitted', values: { revision: submitted.value.view.revision.number } });
      }
      this.pages.redirect(request, response, posted(body, 'then') === 'stay' ? `/console/${lang}/tools/${id}/edit#${posted(body, 'anchor') ?? ''}` : `/console/${lang}/tools/${id}`, {
        key: 'done.saved',
        values: { revision: value.view.revision.number },
      });
    } catch (error) {
      const current = await this.tools.get(id, userOf(request));
      this.editFailed(request, response, error, current, content);
    }
  }

  @Post('tools/:id/submit')
  @Roles('agency_editor')
  async submit(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const { value } = await this.tools.submit(id, posted(body, 'etag'), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}`, { key: 'done.submitted', values: { revision: value.view.revision.number } });
    } catch (error) {
      const current = await this.tools.get(id, userOf(request));
      // An incomplete draft: the form, with every field it still lacks marked.
      if (problemOf(error).type === 'urn:custodia:problem:incomplete') return this.editFailed(request, response, error, current, current.view.revision.content);
      await this.toolPage.send(request, response, id, { problem: problemOf(error) });
    }
  }

  @Get('tools/:id/review')
  @Roles('agency_approver', 'oversight')
  async review(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.reviewPage(request, response, id);
  }

  @Post('tools/:id/publish')
  @Roles('agency_approver')
  async publish(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const { value } = await this.tools.publish(id, posted(body, 'etag'), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}`, { key: 'done.published', values: { revision: value.view.publishedRevision ?? 0 } });
    } catch (error) {
      await this.reviewPage(request, response, id, problemOf(error));
    }
  }

  @Post('tools/:id/reject')
  @Roles('agency_approver')
  async reject(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const dto = await asDto(RejectDto, { reason: posted(body, 'reason')?.trim() ?? '' });
      const { value } = await this.tools.reject(id, dto.reason, posted(body, 'etag'), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}`, { key: 'done.rejected', values: { revision: value.view.revision.number } });
    } catch (error) {
      await this.reviewPage(request, response, id, problemOf(error), posted(body, 'reason'));
    }
  }

  @Get('tools/:id/assessments/new')
  @Roles('agency_editor', 'agency_approver')
  async newAssessment(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Query('kind') kind: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view } = await this.tools.get(id, userOf(request));
    this.assessmentPage(request, response, view, kindOf(kind), {}, new Map(), []);
  }

  @Post('tools/:id/assessments')
  @Roles('agency_editor', 'agency_approver')
  async createAssessment(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view } = await this.tools.get(id, userOf(request));
    const kind = kindOf(posted(body, 'kind'));
    const schema = ASSESSMENT_SCHEMAS[kind] as unknown as SchemaNode;
    // "Read the CSV into the table": the form again, its table filled from the CSV, nothing recorded yet.
    const csvList = posted(body, 'then')?.startsWith('csv:') ? posted(body, 'then')!.slice(4) : undefined;
    if (csvList) {
      try {
        const filled = csvIntoForm(schema, csvList, posted(body, `csv.${csvList}`) ?? '', body, readCsv);
        return this.assessmentPage(request, response, view, kind, contentFromForm(schema, filled), new Map(), []);
      } catch (error) {
        if (!(error instanceof CsvProblem)) throw error;
        const message = this.pages.t(request)('form.csvProblem', { reason: error.message });
        return this.assessmentPage(request, response, view, kind, contentFromForm(schema, body), new Map([[csvList, [message]]]), [], 400);
      }
    }
    const content = contentFromForm(schema, body);
    try {
      const dto = await asDto(CreateAssessmentDto, { kind, content });
      await this.assessments.create(id, dto, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}#assessments`, { key: 'done.assessment', values: { kind: this.pages.show(request).value('assessmentKind', kind) } });
    } catch (error) {
      const problem = problemOf(error);
      const errors = fieldErrors(problem, this.pages.inWords(request));
      this.assessmentPage(request, response, view, kind, content, errors, errors.size ? [] : [problem.detail], problem.status);
    }
  }

  private async reviewPage(request: Request, response: Response, id: string, problem?: { status: number; detail: string; type: string; violations?: unknown; errors?: unknown }, reason?: string): Promise<void> {
    const user = userOf(request);
    const { view, etag } = await this.tools.get(id, user);
    const show = this.pages.show(request);
    const t = this.pages.t(request);
    const published = view.publishedRevision ? await this.tools.revision(id, view.publishedRevision, user) : undefined;
    const changes = difference(
      published ? show.declaration(published.content, []) : [],
      show.declaration(view.revision.content, []),
      { colon: t('punctuation.colon'), semicolon: t('punctuation.semicolon') },
    );
    const violations = (problem?.violations as RuleViolation[] | undefined) ?? [];
    const reasonMessage = (problem?.errors as Array<{ field: string; message: string }> | undefined)?.find((e) => e.field === 'reason')?.message;
    const reasonError = reasonMessage === undefined ? undefined : this.pages.inWords(request)(reasonMessage);
    const own = view.revision.authorId === userOf(request).id;
    this.pages.send(request, response, 'review.njk', {
      tool: view,
      etag,
      published,
      changes,
      own,
      problem,
      violations: violations.map((v) => this.toolPage.inWords(request, view.id, v)),
      blockers: this.toolPage.blockers(request, view),
      reason,
      reasonError,
    }, problem?.status ?? 200);
  }

  private editFailed(request: Request, response: Response, error: unknown, current: { view: ToolView; etag: string } | undefined, content: Record<string, unknown>): void {
    const problem = problemOf(error);
    if (problem.status >= 500) throw error;
    const t = this.pages.t(request);
    const errors = fieldErrors(problem, this.pages.inWords(request));
    const messages = errors.size ? [] : [problem.status === 412 ? t('errors.stale.body') : problem.detail];
    this.editPage(request, response, current, content, errors, messages, problem.status, problem.type === 'urn:custodia:problem:incomplete');
  }

  private editPage(
    request: Request,
    response: Response,
    current: { view: ToolView; etag: string } | undefined,
    content: Record<string, unknown>,
    errors: FieldErrors,
    messages: string[],
    status = 200,
    incomplete = false,
  ): void {
    const form = this.pages.form(request, SCHEMA, 'declaration', content, errors);
    this.pages.send(request, response, 'edit.njk', { tool: current?.view, etag: current?.etag, ...form, messages, incomplete }, status);
  }

  private assessmentPage(request: Request, response: Response, tool: ToolView, kind: AssessmentKind, content: Record<string, unknown>, errors: FieldErrors, messages: string[], status = 200): void {
    const form = this.pages.form(request, ASSESSMENT_SCHEMAS[kind] as unknown as SchemaNode, `assessment.${kind}`, content, errors);
    this.pages.send(request, response, 'assessment.njk', { tool, kind, kinds: ASSESSMENT_KINDS, ...form, messages }, status);
  }
}

const readCsv = (text: string) => parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false }) as Array<Record<string, string>>;

function kindOf(value: string | undefined): AssessmentKind {
  return (ASSESSMENT_KINDS as readonly string[]).includes(value ?? '') ? (value as AssessmentKind) : 'fria';
}


