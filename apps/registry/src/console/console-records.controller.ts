import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { isUUID as isUuid } from 'class-validator';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator.js';
import { AUTHORISATION_SCHEMA } from '../declarations/authorisations/authorisation.schema.js';
import { CreateAuthorisationDto, RevokeAuthorisationDto } from '../declarations/authorisations/authorisation.dto.js';
import { AuthorisationsService } from '../declarations/authorisations/authorisations.service.js';
import { IncidentContentDto, ListIncidentsQuery } from '../declarations/incidents/incident.dto.js';
import { INCIDENT_SCHEMA, INCIDENT_STATUSES } from '../declarations/incidents/incident.schema.js';
import { IncidentsService } from '../declarations/incidents/incidents.service.js';
import { ListReportsQuery, REPORT_STATUSES, ReplyDto } from '../declarations/reports/report.dto.js';
import { ReportsService } from '../declarations/reports/reports.service.js';
import { REDACTABLE_FIELDS, REDACTION_REASONS, RedactionsDto, type ToolView } from '../declarations/tools/tool.dto.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { problemOf } from '../http/problem.filter.js';
import { uuidParam } from '../http/uuid.pipe.js';
import type { SchemaNode } from '../public/portal/present.js';
import { actorOf, userOf } from './console-auth.js';
import { asDto, byField, ConsoleController, definedOnly, type Form, LanguagePipe, nextPage, posted, text } from './console-common.js';
import { ConsolePages } from './console-pages.js';
import { ConsoleToolPage, type RefusedForm } from './console-tool-page.js';
import { contentFromForm, fieldErrors, type FieldErrors, formFields } from './schema-form.js';

/** A record kept beside a tool whose form the console generates from its JSON Schema. */
interface RecordKind {
  schema: SchemaNode;
  /** Where its field labels are in fields.json. */
  labels: string;
  /** Its i18n prefix in console.json (title, intro, submit). */
  words: string;
}

const AUTHORISATION: RecordKind = { schema: AUTHORISATION_SCHEMA as unknown as SchemaNode, labels: 'authorisation', words: 'authorisation' };
const INCIDENT: RecordKind = { schema: INCIDENT_SCHEMA as unknown as SchemaNode, labels: 'incident', words: 'incident' };

/**
 * The records an agency keeps beside a tool's declaration: judicial authorisations (the decision
 * document hashed in the browser, only its SHA-256 kept), serious incidents and their versions,
 * the public's error reports and their answers, and the redactions of restricted fields. Each
 * through the same service as its API route.
 */
@ConsoleController()
export class ConsoleRecordsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly toolPage: ConsoleToolPage,
    private readonly tools: ToolsService,
    private readonly authorisations: AuthorisationsService,
    private readonly incidents: IncidentsService,
    private readonly reports: ReportsService,
  ) {}

  @Get('tools/:id/authorisations/new')
  @Roles('agency_editor', 'agency_approver')
  async newAuthorisation(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.recordForm(request, response, await this.tool(request, id), AUTHORISATION, `tools/${id}/authorisations`, {});
  }

  @Post('tools/:id/authorisations')
  @Roles('agency_editor', 'agency_approver')
  async createAuthorisation(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const tool = await this.tool(request, id);
    const content = contentFromForm(AUTHORISATION.schema, body);
    try {
      await this.authorisations.create(id, await asDto(CreateAuthorisationDto, { content }), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}#authorisations`, { key: 'done.authorisation' });
    } catch (error) {
      this.recordFailed(request, response, tool, AUTHORISATION, `tools/${id}/authorisations`, content, error);
    }
  }

  @Post('authorisations/:aid/revoke')
  @Roles('agency_editor', 'agency_approver')
  async revokeAuthorisation(@Param('lang', LanguagePipe) lang: string, @Param('aid', uuidParam('aid')) aid: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const reason = posted(body, 'reason')?.trim() ?? '';
    try {
      const dto = await asDto(RevokeAuthorisationDto, { reason });
      const { value } = await this.authorisations.revoke(aid, dto.reason, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${value.toolId}#authorisations`, { key: 'done.revoked' });
    } catch (error) {
      await this.refusedOnToolPage(request, response, posted(body, 'toolId'), { form: `revoke-${aid}`, label: this.pages.t(request)('tool.revokeReason'), typed: reason }, error);
    }
  }

  @Get('tools/:id/incidents/new')
  @Roles('agency_editor', 'agency_approver')
  async newIncident(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.recordForm(request, response, await this.tool(request, id), INCIDENT, `tools/${id}/incidents`, {});
  }

  @Post('tools/:id/incidents')
  @Roles('agency_editor', 'agency_approver')
  async reportIncident(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const tool = await this.tool(request, id);
    const content = contentFromForm(INCIDENT.schema, body);
    try {
      const { value } = await this.incidents.report(id, (await asDto(IncidentContentDto, { content })).content, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/incidents/${value.id}`, { key: 'done.incident' });
    } catch (error) {
      this.recordFailed(request, response, tool, INCIDENT, `tools/${id}/incidents`, content, error);
    }
  }

  @Get('incidents')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  async incidentsList(@Param('lang', LanguagePipe) _lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filters = { status: text(raw.status), cursor: text(raw.cursor) };
    const page = await this.incidents.listAll(await asDto(ListIncidentsQuery, { ...definedOnly(filters), limit: '20' }, 'query'), userOf(request));
    const tools = await this.toolsOf(request, page.items.map((i) => i.toolId));
    const next = nextPage(filters, page.nextCursor);
    this.pages.send(request, response, 'incidents.njk', { incidents: page.items.map((i) => ({ ...i, tool: tools.get(i.toolId) })), filters, statuses: INCIDENT_STATUSES, next });
  }

  @Get('incidents/:iid')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  async incident(@Param('lang', LanguagePipe) _lang: string, @Param('iid', uuidParam('iid')) iid: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const incident = await this.incidents.get(iid, userOf(request));
    const tool = await this.tool(request, incident.toolId);
    const show = this.pages.show(request);
    this.pages.send(request, response, 'incident.njk', {
      tool,
      incident,
      versions: [...incident.versions].reverse().map((v) => ({ ...v, fields: show.incident(v.content) })),
      fields: formFields(INCIDENT.schema, incident.content, this.pages.labels(request, INCIDENT.labels)),
      summary: [],
      messages: [],
    });
  }

  @Post('incidents/:iid/versions')
  @Roles('agency_editor', 'agency_approver')
  async reviseIncident(@Param('lang', LanguagePipe) lang: string, @Param('iid', uuidParam('iid')) iid: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const incident = await this.incidents.get(iid, userOf(request));
    const content = contentFromForm(INCIDENT.schema, body);
    try {
      await this.incidents.revise(iid, (await asDto(IncidentContentDto, { content })).content, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/incidents/${iid}`, { key: 'done.incidentRevised' });
    } catch (error) {
      const tool = await this.tool(request, incident.toolId);
      this.recordFailed(request, response, tool, INCIDENT, `incidents/${iid}/versions`, content, error);
    }
  }

  @Get('reports')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  async reportsList(@Param('lang', LanguagePipe) _lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    // Those still waiting for an answer first, as whoever answers them comes looking for.
    const filters = { status: text(raw.status) ?? 'received', cursor: text(raw.cursor) };
    const user = userOf(request);
    const page = await this.reports.list(await asDto(ListReportsQuery, { ...definedOnly(filters), limit: '20' }, 'query'), user);
    const tools = await this.toolsOf(request, page.items.map((r) => r.toolId));
    const next = nextPage(filters, page.nextCursor);
    this.pages.send(request, response, 'reports.njk', { reports: page.items.map((r) => ({ ...r, tool: tools.get(r.toolId) })), filters, statuses: REPORT_STATUSES, next });
  }

  @Post('reports/:rid/:step')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  async reply(@Param('lang', LanguagePipe) lang: string, @Param('rid', uuidParam('rid')) rid: string, @Param('step') step: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const status = step === 'answer' ? 'answered' : step === 'dismiss' ? 'dismissed' : undefined;
    if (!status) return this.pages.send(request, response, 'error.njk', { title: this.pages.t(request)('errors.notFound.title'), body: this.pages.t(request)('errors.notFound.body'), requestId: request.id }, 404);
    const reply = posted(body, 'reply')?.trim() ?? '';
    try {
      const dto = await asDto(ReplyDto, { reply });
      const { value } = await this.reports.reply(rid, status, dto.reply, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${value.toolId}#reports`, { key: status === 'answered' ? 'done.reportAnswered' : 'done.reportDismissed' });
    } catch (error) {
      await this.refusedOnToolPage(request, response, posted(body, 'toolId'), { form: `reply-${rid}`, label: this.pages.t(request)('tool.replyLabel'), typed: reply }, error);
    }
  }

  @Get('tools/:id/redactions')
  @Roles('agency_editor')
  async redactionsForm(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view, etag } = await this.tools.get(id, userOf(request));
    this.redactionsPage(request, response, view, etag, view.redactions, {});
  }

  @Post('tools/:id/redactions')
  @Roles('agency_editor')
  async saveRedactions(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    // One row per restricted field: withheld when ticked, with its reason code and words.
    const redactions = REDACTABLE_FIELDS.filter((field) => posted(body, `withhold.${field}`) === 'true').map((field) => ({
      field,
      reasonCode: posted(body, `reasonCode.${field}`) ?? '',
      reason: posted(body, `reason.${field}`)?.trim() ?? '',
    }));
    try {
      const dto = await asDto(RedactionsDto, { redactions });
      await this.tools.setRedactions(id, dto.redactions, posted(body, 'etag'), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/tools/${id}#redactions`, { key: 'done.redactions', values: { count: redactions.length } });
    } catch (error) {
      const { view, etag } = await this.tools.get(id, userOf(request));
      // The DTO names rows by position (redactions.0.reason): back to the field they are about.
      const errors = Object.fromEntries(Object.entries(byField(error, this.pages.inWords(request))).map(([field, message]) => {
        const row = /^redactions\.(\d+)\./.exec(field);
        return [row ? redactions[Number(row[1])].field : field, message];
      }));
      this.redactionsPage(request, response, view, etag, redactions, errors, problemOf(error).status);
    }
  }

  /**
   * A form of the tool's page refused (a reason left out, a report already answered): the page
   * again, the message beside that form and what was typed in it. The tool is the one the form
   * came from, read with the person's own rights; without it (or for a record they cannot see),
   * the refusal is the console's error page.
   */
  private async refusedOnToolPage(request: Request, response: Response, toolId: string | undefined, form: Omit<RefusedForm, 'message'>, error: unknown): Promise<void> {
    const problem = problemOf(error);
    if (problem.status >= 500 || problem.status === 404 || !toolId || !isUuid(toolId)) throw error;
    const message = Object.values(byField(error, this.pages.inWords(request))).join(' ');
    await this.toolPage.send(request, response, toolId, { problem, refused: { ...form, message } });
  }

  /** The tools a list's rows are about, each read once with the person's rights. */
  private async toolsOf(request: Request, ids: string[]): Promise<Map<string, ToolView>> {
    const tools = new Map<string, ToolView>();
    for (const id of new Set(ids)) tools.set(id, await this.tool(request, id));
    return tools;
  }

  private async tool(request: Request, id: string): Promise<ToolView> {
    return (await this.tools.get(id, userOf(request))).view;
  }

  private redactionsPage(request: Request, response: Response, tool: ToolView, etag: string, redactions: Array<{ field: string; reasonCode: string; reason: string }>, errors: Record<string, string>, status = 200): void {
    const show = this.pages.show(request);
    const byField = new Map(redactions.map((r) => [r.field, r]));
    const rows = REDACTABLE_FIELDS.map((field) => ({ field, id: field.replace(/[^A-Za-z0-9]+/g, '-'), label: show.label(`declaration.${field}`), redaction: byField.get(field), error: errors[field] }));
    const reasons = REDACTION_REASONS.map((value) => ({ value, label: show.value('redactionReason', value) }));
    this.pages.send(request, response, 'redactions.njk', { tool, etag, rows, reasons, form: errors.form }, status);
  }

  private recordForm(request: Request, response: Response, tool: ToolView, kind: RecordKind, action: string, content: Record<string, unknown>, errors: FieldErrors = new Map(), messages: string[] = [], status = 200): void {
    this.pages.send(request, response, 'record-form.njk', { tool, words: kind.words, action, ...this.pages.form(request, kind.schema, kind.labels, content, errors), messages }, status);
  }

  private recordFailed(request: Request, response: Response, tool: ToolView, kind: RecordKind, action: string, content: Record<string, unknown>, error: unknown): void {
    const problem = problemOf(error);
    if (problem.status >= 500) throw error;
    const errors = fieldErrors(problem, this.pages.inWords(request));
    this.recordForm(request, response, tool, kind, action, content, errors, errors.size ? [] : [problem.detail], problem.status);
  }
}
