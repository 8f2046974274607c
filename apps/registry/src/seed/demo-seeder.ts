import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Actor, Role } from '../auth/auth-user.js';
import type { AssessmentKind } from '../declarations/assessments/assessment.schemas.js';
import { AssessmentsService } from '../declarations/assessments/assessments.service.js';
import { AuthorisationsService, todayUtc } from '../declarations/authorisations/authorisations.service.js';
import { FindingsService } from '../declarations/findings/findings.service.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { DEMO_AGENCIES, DEMO_TOOLS } from './demo-data.js';
import type { DemoTool } from './demo-tool.js';

const addDays = (day: string, days: number) => new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Loads the demonstration data through the same services as the API, so that every record is
 * in the log exactly as if agencies and the oversight body had typed it in.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
    private readonly tools: ToolsService,
    private readonly assessments: AssessmentsService,
    private readonly authorisations: AuthorisationsService,
    private readonly findings: FindingsService,
  ) {}

  /** Seeds an empty registry; refuses (returns false) when agencies exist already. */
  async seed(today = todayUtc()): Promise<boolean> {
    const [{ n }] = await this.dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM agencies');
    if (Number(n) > 0) return false;
    const admin = actor('demo-admin', ['admin']);
    const agencyIds = new Map<string, string>();
    for (const agency of DEMO_AGENCIES) {
      const { value } = await this.agencies.create({ name: agency.name, country: agency.country, kind: agency.kind }, admin);
      agencyIds.set(agency.key, value.id);
    }
    for (const tool of DEMO_TOOLS) await this.declare(tool, agencyIds.get(tool.agency)!, today);
    const { expired, alerts } = await this.authorisations.expireAndAlert(today);
    this.logger.log(`demonstration data: ${DEMO_AGENCIES.length} agencies, ${DEMO_TOOLS.length} tools, ${expired} expired authorisations, ${alerts} alerts`);
    return true;
  }

  private async declare(tool: DemoTool, agencyId: string, today: string): Promise<void> {
    const editor = actor(`demo-editor-${agencyId.slice(0, 8)}`, ['agency_editor'], agencyId);
    const approver = actor(`demo-approver-${agencyId.slice(0, 8)}`, ['agency_approver'], agencyId);
    const oversight = actor('demo-oversight', ['oversight']);

    let { value } = await this.tools.create({ content: declaration(tool), nonPublic: tool.nonPublic }, editor);
    const id = value.view.id;
    for (const [kind, content] of Object.entries(tool.assessments ?? {})) {
      await this.assessments.create(id, { kind: kind as AssessmentKind, content }, editor);
    }
    let current: string | undefined;
    if (tool.authorisation) {
      const window = tool.authorisation.window === 'expiring' ? [addDays(today, -30), addDays(today, 20)] : [addDays(today, -10), addDays(today, 180)];
      current = (await this.authorisations.create(id, { content: authorisation(tool, window[0], window[1]) }, editor)).value.id;
    }
    if (tool.outcome === 'draft') return;
    ({ value } = await this.tools.submit(id, value.etag, editor));
    if (tool.outcome === 'submitted') return;
    if (tool.outcome === 'rejected') {
      await this.tools.reject(id, tool.rejectedBecause!, value.etag, approver);
      return;
    }
    ({ value } = await this.tools.publish(id, value.etag, approver));
    if (tool.revise) {
      const { redact, ...changes } = tool.revise;
      if (redact) ({ value } = await this.tools.setRedactions(id, redact, value.etag, editor));
      ({ value } = await this.tools.saveDraft(id, declaration(tool, changes), value.etag, editor));
      ({ value } = await this.tools.submit(id, value.etag, editor));
      await this.tools.publish(id, value.etag, approver);
    }
    if (tool.authorisation?.window === 'expired' && current) {
      // An earlier authorisation whose window has ended, and the current one revoked: the
      // tool is now in use without a valid authorisation, which the oversight alerts show.
      await this.authorisations.create(id, { content: authorisation(tool, addDays(today, -120), addDays(today, -30)) }, editor);
      await this.authorisations.revoke(current, tool.authorisation.revokedBecause!, approver);
    }
    if (tool.finding) {
      const { severity, title, body, answer, closing } = tool.finding;
      const finding = (await this.findings.open(id, { severity, title, body }, oversight)).value;
      if (answer) await this.findings.respond(finding.id, answer, editor);
      if (closing) await this.findings.close(finding.id, closing, oversight);
    }
  }
}

function actor(id: string, roles: Role[], agencyId?: string): Actor {
  return { id, roles, ...(agencyId ? { agencyId } : {}), requestId: `seed-${randomUUID()}` };
}

/** The declaration of a tool as its agency writes it, with a later revision's changes if given. */
function declaration(tool: DemoTool, changes: Omit<NonNullable<DemoTool['revise']>, 'redact'> = {}): Record<string, unknown> {
  const agency = DEMO_AGENCIES.find((a) => a.key === tool.agency)!;
  const language = tool.language ?? agency.language;
  return {
    language,
    identity: {
      name: tool.name,
      shortDescription: changes.description ?? tool.description,
      intendedPurpose: tool.purpose,
      ...(tool.functions ? { functions: tool.functions } : {}),
      provider: { name: tool.provider[0], country: tool.provider[1] },
      version: tool.version,
      procurementRoute: tool.procurement,
      countriesOfUse: [agency.country],
      ...(tool.regions ? { regionsOfUse: tool.regions } : {}),
      lifecycle: changes.lifecycle ?? tool.lifecycle,
      crimeAreas: tool.crimeAreas,
    },
    classification: {
      riskClass: tool.risk,
      rationale: tool.rationale,
      ...(tool.annex ? { annexIIIPoint: tool.annex } : {}),
      article5Screening: Object.fromEntries(ARTICLE_5_PRACTICES.map((letter) => [letter, tool.article5?.[letter] ?? notApplicable(language)])),
    },
    transparency: { ...tool.transparency, ...(changes.trainingData ? { trainingData: changes.trainingData } : {}) },
    legalBasis: tool.legalBasis,
  };
}

// The practices of AI Act Art. 5(1)(a)–(h), each screened in every declaration.
const ARTICLE_5_PRACTICES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
const NOT_APPLICABLE: Record<string, string> = { es: 'No aplica.', pt: 'Não se aplica.', fr: 'Sans objet.', en: 'Not applicable.', nl: 'Niet van toepassing.' };

function notApplicable(language: string): { performs: false; explanation: string } {
  return { performs: false, explanation: NOT_APPLICABLE[language.slice(0, 2)] };
}

function authorisation(tool: DemoTool, validFrom: string, validUntil: string): Record<string, unknown> {
  const { authority, scope, conditions } = tool.authorisation!;
  return {
    authorityType: 'judicial',
    authority,
    reference: `AUT-${validFrom.slice(0, 4)}-${validFrom.slice(5, 7)}${validFrom.slice(8, 10)}`,
    requestedOn: addDays(validFrom, -2),
    decidedOn: validFrom,
    outcome: 'granted',
    validFrom,
    validUntil,
    scope,
    ...(conditions ? { conditions } : {}),
    urgency: { used: false },
  };
}
