import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AssessmentsService } from '../declarations/assessments/assessments.service.js';
import { AuthorisationsService } from '../declarations/authorisations/authorisations.service.js';
import { ListFindingsQuery } from '../declarations/findings/finding.dto.js';
import { FindingsService } from '../declarations/findings/findings.service.js';
import { IncidentsService } from '../declarations/incidents/incidents.service.js';
import { ListReportsQuery } from '../declarations/reports/report.dto.js';
import { ReportsService } from '../declarations/reports/reports.service.js';
import type { RuleViolation } from '../declarations/rules/publication-rules.js';
import { DECLARATION_SCHEMA } from '../declarations/schema/declaration.schema.js';
import type { ToolView } from '../declarations/tools/tool.dto.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { type Problem, ValidationProblem } from '../http/problem.js';
import { entryView } from '../log/log-api.controller.js';
import { LogStore } from '../log/log-store.js';
import type { SchemaNode } from '../public/portal/present.js';
import { userOf } from './console-auth.js';
import { asDto, definedOnly, text } from './console-common.js';
import { ConsolePages } from './console-pages.js';
import { formFields } from './schema-form.js';

const SCHEMA = DECLARATION_SCHEMA as unknown as SchemaNode;

/** Where in the console each publication rule is mended. */
const RULE_FIXES: Record<string, (id: string) => string> = {
  'fria-required': (id) => `tools/${id}/assessments/new?kind=fria`,
  'bias-mitigation': (id) => `tools/${id}/assessments/new?kind=bias`,
  'authorisation-required': (id) => `tools/${id}#authorisations`,
};

/** How many findings, reports and log entries a tool's page lists before "More". */
export const TOOL_PAGE_LIST = 20;

/** A form on the tool's page the rules refused: its message beside it, what was typed kept. */
export interface RefusedForm {
  /** The form's id on the page (revoke-<id>, reply-<id>). */
  form: string;
  /** What the form is for, in the reader's words (the summary at the top names it). */
  label: string;
  message: string;
  typed: string;
}

/** Which page of each of the tool page's lists to show (?findings=, ?reports=, ?entries=). */
export interface ToolPageLists {
  findings?: string;
  reports?: string;
  entries?: string;
}

export function toolPageLists(query: Record<string, unknown>): ToolPageLists {
  return { findings: text(query.findings), reports: text(query.reports), entries: text(query.entries) };
}

/**
 * A tool's page in the console, for every controller whose form lives on it: the declaration
 * with each field's visibility, what blocks its publication with where to mend it, and the
 * records beside it (assessments, authorisations, incidents, the public's reports, findings and,
 * for oversight, its log entries), the long lists a page at a time.
 */
@Injectable()
export class ConsoleToolPage {
  constructor(
    private readonly pages: ConsolePages,
    private readonly tools: ToolsService,
    private readonly assessments: AssessmentsService,
    private readonly findings: FindingsService,
    private readonly authorisations: AuthorisationsService,
    private readonly incidents: IncidentsService,
    private readonly reports: ReportsService,
    private readonly logStore: LogStore,
  ) {}

  async send(request: Request, response: Response, id: string, options: { problem?: Problem; refused?: RefusedForm; lists?: ToolPageLists } = {}): Promise<void> {
    const { problem, refused, lists = {} } = options;
    const user = userOf(request);
    const { view, etag } = await this.tools.get(id, user);
    const oversight = user.roles.includes('oversight');
    const limit = String(TOOL_PAGE_LIST);
    const entriesFrom = lists.entries === undefined ? 0 : Number(lists.entries);
    if (!Number.isSafeInteger(entriesFrom) || entriesFrom < 0) throw new ValidationProblem([{ field: 'entries', message: 'entries must be a log index (a whole number from 0)' }]);
    const [assessments, findings, authorisations, incidents, reports, entries] = await Promise.all([
      this.assessments.list(id, user),
      this.findings.list(await asDto(ListFindingsQuery, definedOnly({ toolId: id, limit, cursor: lists.findings }), 'query'), user),
      this.authorisations.list(id, user),
      this.incidents.list(id, user),
      this.reports.list(await asDto(ListReportsQuery, definedOnly({ toolId: id, limit, cursor: lists.reports }), 'query'), user),
      // The record's log entries: oversight's, as GET /api/v1/log/entries?subjectId= is.
      oversight ? this.logStore.entries({ from: entriesFrom, limit: TOOL_PAGE_LIST + 1, subjectId: id }).then((rows) => rows.map(entryView)) : Promise.resolve([]),
    ]);
    const here = `/console/${this.pages.languageOf(request)}/tools/${id}`;
    const more = (list: keyof ToolPageLists, next: string | number | null | undefined) => (next === null || next === undefined ? undefined : `${here}?${list}=${encodeURIComponent(String(next))}#${list === 'entries' ? 'log' : list}`);
    const shownEntries = entries.slice(0, TOOL_PAGE_LIST);
    this.pages.send(request, response, 'tool.njk', {
      tool: view,
      etag,
      declaration: formFields(SCHEMA, view.revision.content, this.pages.labels(request, 'declaration')),
      redacted: Object.fromEntries(view.redactions.map((r) => [r.field, `${this.pages.show(request).value('redactionReason', r.reasonCode)}: ${r.reason}`])),
      blockers: this.blockers(request, view),
      assessments,
      findings: findings.items,
      authorisations,
      incidents,
      reports: reports.items,
      entries: shownEntries,
      // "More" after each long list, and "From the first" once past its first page.
      pages: {
        findings: { more: more('findings', findings.nextCursor), first: lists.findings ? `${here}#findings` : undefined },
        reports: { more: more('reports', reports.nextCursor), first: lists.reports ? `${here}#reports` : undefined },
        entries: { more: entries.length > TOOL_PAGE_LIST ? more('entries', entries[TOOL_PAGE_LIST]!.index) : undefined, first: entriesFrom > 0 ? `${here}#log` : undefined },
      },
      problem,
      refused,
    }, problem?.status ?? 200);
  }

  blockers(request: Request, view: ToolView) {
    return (view.revision.blockers ?? []).map((v) => this.inWords(request, view.id, v));
  }

  /** A rule the revision breaks, in the reader's words, with where to mend it. */
  inWords(request: Request, toolId: string, violation: RuleViolation) {
    const t = this.pages.t(request);
    const base = `/console/${this.pages.languageOf(request)}/`;
    const fix = RULE_FIXES[violation.rule]?.(toolId) ?? `tools/${toolId}/edit`;
    return { rule: violation.rule, words: t(`rules.${violation.rule}`, { defaultValue: violation.message }), detail: violation.message, fix: base + fix, fixLabel: t(`rules.fix.${violation.rule}`, { defaultValue: t('rules.fix.edit') }) };
  }
}
