import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Actor, Role } from '../auth/auth-user.js';
import { exampleAssessment } from '../declarations/assessments/example-assessments.js';
import { AssessmentsService } from '../declarations/assessments/assessments.service.js';
import { AuthorisationsService, todayUtc } from '../declarations/authorisations/authorisations.service.js';
import { FindingsService } from '../declarations/findings/findings.service.js';
import { exampleDeclaration } from '../declarations/schema/example-declaration.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { DEMO_AGENCIES, DEMO_TOOLS, type DemoTool } from './demo-data.js';

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
    for (const kind of tool.assessments ?? []) {
      const content = kind === 'bias_failed' ? failedBias() : exampleAssessment(kind);
      await this.assessments.create(id, { kind: kind === 'bias_failed' ? 'bias' : kind, content }, editor);
    }
    let current: string | undefined;
    if (tool.authorisation) {
      const window = tool.authorisation === 'expiring' ? [addDays(today, -30), addDays(today, 20)] : [addDays(today, -10), addDays(today, 180)];
      current = (await this.authorisations.create(id, { content: authorisation(window[0], window[1]) }, editor)).value.id;
    }
    if (tool.outcome === 'draft') return;
    ({ value } = await this.tools.submit(id, value.etag, editor));
    if (tool.outcome === 'submitted') return;
    if (tool.outcome === 'rejected') {
      await this.tools.reject(id, 'The legal basis does not cover fraud scoring; revise the declaration.', value.etag, approver);
      return;
    }
    ({ value } = await this.tools.publish(id, value.etag, approver));
    if (tool.revise) {
      const { redact, ...changes } = tool.revise;
      if (redact) ({ value } = await this.tools.setRedactions(id, redact, value.etag, editor));
      ({ value } = await this.tools.saveDraft(id, declaration({ ...tool, ...changes }), value.etag, editor));
      ({ value } = await this.tools.submit(id, value.etag, editor));
      await this.tools.publish(id, value.etag, approver);
    }
    if (tool.authorisation === 'expired' && current) {
      // An earlier authorisation whose window has ended, and the current one revoked: the
      // tool is now in use without a valid authorisation, which the oversight alerts show.
      await this.authorisations.create(id, { content: authorisation(addDays(today, -120), addDays(today, -30)) }, editor);
      await this.authorisations.revoke(current, 'The court annulled the authorisation on appeal.', approver);
    }
    if (tool.finding) {
      const { severity, title, body, then } = tool.finding;
      const finding = (await this.findings.open(id, { severity, title, body }, oversight)).value;
      if (then) await this.findings.respond(finding.id, 'Medidas adoptadas: revisión trimestral y recalibración. / Measures taken: quarterly review and recalibration.', editor);
      if (then === 'closed') await this.findings.close(finding.id, 'Verified on site.', oversight);
    }
  }
}

function actor(id: string, roles: Role[], agencyId?: string): Actor {
  return { id, roles, ...(agencyId ? { agencyId } : {}), requestId: `seed-${randomUUID()}` };
}

function declaration(tool: DemoTool): Record<string, unknown> {
  const content = exampleDeclaration() as {
    identity: Record<string, unknown>;
    classification: Record<string, unknown> & { article5Screening: Record<string, unknown> };
  } & Record<string, unknown>;
  const lifecycle: Record<string, string> = { status: tool.lifecycle };
  const field = { planned: 'plannedSince', pilot: 'pilotSince', in_use: 'inUseSince', suspended: 'inUseSince', retired: 'inUseSince' }[tool.lifecycle];
  lifecycle[field] = tool.since;
  if (tool.lifecycle === 'suspended') lifecycle.suspendedSince = addDays(tool.since, 60);
  if (tool.lifecycle === 'retired') lifecycle.retiredOn = addDays(tool.since, 365);
  content.language = tool.language ?? DEMO_AGENCIES.find((a) => a.key === tool.agency)!.language;
  Object.assign(content.identity, {
    name: tool.name,
    shortDescription: tool.description,
    intendedPurpose: tool.purpose,
    provider: { name: tool.provider[0], country: tool.provider[1] },
    countriesOfUse: [countryOf(tool.agency)],
    lifecycle,
    crimeAreas: tool.crimeAreas,
  });
  delete content.identity.functions;
  Object.assign(content.classification, {
    riskClass: tool.risk,
    rationale: rationale(tool),
    ...(tool.annex ? { annexIIIPoint: tool.annex } : {}),
  });
  if (tool.risk === 'prohibited_practice_exception') {
    content.classification.article5Screening.h = { performs: true, explanation: 'Art. 5(1)(h)(i): targeted search for specific victims, under prior judicial authorisation.' };
  }
  return content;
}

function rationale(tool: DemoTool): string {
  switch (tool.risk) {
    case 'prohibited_practice_exception':
      return 'Real-time remote biometric identification for law enforcement, used only under the exception of Art. 5(1)(h).';
    case 'high_risk':
      return `Listed in Annex III point ${tool.annex} of the AI Act.`;
    case 'limited_risk':
      return 'Interacts with people or produces content: transparency duties of Art. 50 apply.';
    case 'minimal_risk':
      return 'Supports internal work without deciding about persons.';
    case 'outside_scope':
      return 'Scores goods, not natural persons; outside the use cases of Annex III.';
  }
}

function countryOf(agencyKey: string): string {
  return DEMO_AGENCIES.find((a) => a.key === agencyKey)!.country;
}

function authorisation(validFrom: string, validUntil: string): Record<string, unknown> {
  return {
    authorityType: 'judicial',
    authority: 'Juzgado de Control de Garantías (ficticio)',
    reference: `AUT-${validFrom.slice(0, 4)}-${Math.floor(Math.random() * 9000 + 1000)}`,
    requestedOn: validFrom,
    decidedOn: validFrom,
    outcome: 'granted',
    validFrom,
    validUntil,
    scope: { geographic: 'Terminals named in the decision', persons: 'Persons named in the decision' },
    urgency: { used: false },
  };
}

function failedBias(): Record<string, unknown> {
  const bias = exampleAssessment('bias') as { disparities: Array<Record<string, unknown>> } & Record<string, unknown>;
  bias.disparities = [{ group: 'rural residents', metric: 'fnr', value: 1.41, tolerance: 1.25, status: 'fail' }];
  bias.mitigations = ['Separate thresholds reviewed quarterly', 'Human review of every low score in rural districts'];
  return bias;
}
