import { ARTICLE_5_PRACTICES } from '../schema/declaration.schema.js';

/**
 * A rule a revision breaks, named so that a clerk can look it up (docs/declarations.md), with
 * what fixes it: the route to call, `{id}` standing for the tool (see `forTool`).
 */
export interface RuleViolation {
  rule: string;
  message: string;
  fix: string;
}

// A revision's own content is corrected in a draft; a submitted one is rejected first.
const inDraft = (fields: string) =>
  `Correct ${fields} in a draft: PUT /api/v1/tools/{id}/draft (a submitted revision is first rejected: POST /api/v1/tools/{id}/reject).`;
const FIXES = {
  'prohibited-practice': `${inDraft('classification.article5Screening')} A tool that performs a prohibited practice cannot be published or used.`,
  'annex-iii-consistency': inDraft('classification.riskClass, classification.annexIIIPoint or classification.article5Screening'),
  'lifecycle-dates': inDraft('the dates of identity.lifecycle'),
  'fria-required':
    'Record one: POST /api/v1/tools/{id}/assessments with {"kind": "fria", "content": {...}} (its fields: GET /api/v1/schema/assessments), then publish again.',
  'bias-mitigation':
    'Record a new bias evaluation that lists the mitigations adopted: POST /api/v1/tools/{id}/assessments with {"kind": "bias", "content": {..., "mitigations": [...]}}, then publish again.',
  'authorisation-required':
    'Record the granted authorisation: POST /api/v1/tools/{id}/authorisations with {"content": {...}} (decision, validity window, scope), or declare another lifecycle status in a draft.',
} as const;
type Rule = keyof typeof FIXES;
const violation = (rule: Rule, message: string): RuleViolation => ({ rule, message, fix: FIXES[rule] });

/** The violations with their fixes naming this tool's routes. */
export function forTool(violations: RuleViolation[], toolId: string): RuleViolation[] {
  return violations.map((v) => ({ ...v, fix: v.fix.replaceAll('{id}', toolId) }));
}

type Content = {
  identity?: { lifecycle?: Record<string, string | undefined> };
  classification?: {
    riskClass?: string;
    annexIIIPoint?: string;
    article5Screening?: Record<string, { performs?: boolean }>;
  };
};

const LIFECYCLE_DATES = ['plannedSince', 'pilotSince', 'inUseSince', 'suspendedSince', 'retiredOn'] as const;
const STATUS_DATE: Record<string, (typeof LIFECYCLE_DATES)[number]> = {
  pilot: 'pilotSince',
  in_use: 'inUseSince',
  suspended: 'suspendedSince',
  retired: 'retiredOn',
};

/**
 * The rules a revision's own content must meet to be published (the schema checks each field;
 * these check fields against each other). Rules that involve other records — authorisations,
 * assessments — are checked beside these by the publishing service.
 */
export function contentViolations(content: Content, today = new Date().toISOString().slice(0, 10)): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const classification = content.classification ?? {};
  const risk = classification.riskClass;
  const point = classification.annexIIIPoint;

  for (const [letter, practice] of Object.entries(ARTICLE_5_PRACTICES)) {
    if (letter === 'h' || classification.article5Screening?.[letter]?.performs !== true) continue;
    violations.push(violation('prohibited-practice', `The tool performs a practice prohibited by AI Act Art. 5(1)(${letter}) (${practice}); it cannot be declared in use or published.`));
  }
  const realTimeBiometric = classification.article5Screening?.h?.performs === true;
  if (realTimeBiometric && risk !== 'prohibited_practice_exception') {
    violations.push(violation('annex-iii-consistency', "A tool performing 'real-time' remote biometric identification (Art. 5(1)(h)) must be classed prohibited_practice_exception."));
  }
  if (risk === 'prohibited_practice_exception' && !realTimeBiometric) {
    violations.push(violation('annex-iii-consistency', 'The class prohibited_practice_exception applies only to the exception of Art. 5(1)(h): its screening must say the tool performs it.'));
  }
  if (risk === 'high_risk' && !point) {
    violations.push(violation('annex-iii-consistency', 'A high_risk tool must name the Annex III point that makes it high-risk.'));
  }
  if (point && risk !== 'high_risk' && risk !== 'prohibited_practice_exception') {
    violations.push(violation('annex-iii-consistency', `Annex III point ${point} makes a tool high-risk, but its class is ${risk}.`));
  }

  const lifecycle = content.identity?.lifecycle ?? {};
  const dated = LIFECYCLE_DATES.filter((field) => lifecycle[field]);
  for (let i = 1; i < dated.length; i++) {
    if (lifecycle[dated[i]]! < lifecycle[dated[i - 1]]!) {
      violations.push(violation('lifecycle-dates', `${dated[i]} (${lifecycle[dated[i]]}) is before ${dated[i - 1]} (${lifecycle[dated[i - 1]]}).`));
    }
  }
  const statusDate = lifecycle.status ? STATUS_DATE[lifecycle.status] : undefined;
  if (statusDate && !lifecycle[statusDate]) {
    violations.push(violation('lifecycle-dates', `A tool whose status is ${lifecycle.status} needs ${statusDate}.`));
  }
  if (statusDate && lifecycle[statusDate] && lifecycle[statusDate]! > today) {
    violations.push(violation('lifecycle-dates', `The status is ${lifecycle.status}, but ${statusDate} (${lifecycle[statusDate]}) is in the future.`));
  }
  return violations;
}

/** The latest assessment of each kind a tool has (their content). */
export type CurrentAssessments = Partial<Record<'fria' | 'bias' | 'gender_impact' | 'huderia' | 'dpia', Record<string, unknown>>>;

/** Rules that tie a revision to the tool's other records: its assessments. */
export function assessmentViolations(content: Content, assessments: CurrentAssessments): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const risk = content.classification?.riskClass;
  if ((risk === 'high_risk' || risk === 'prohibited_practice_exception') && !assessments.fria) {
    violations.push(violation('fria-required', `A ${risk} tool needs a fundamental rights impact assessment (AI Act Art. 27${risk === 'high_risk' ? '' : ', required by Art. 5(2)'}) before it is published.`));
  }
  const bias = assessments.bias as { disparities?: Array<{ status: string; group: string; metric: string }>; mitigations?: string[] } | undefined;
  const failed = bias?.disparities?.filter((d) => d.status === 'fail') ?? [];
  if (failed.length > 0 && !bias?.mitigations?.length) {
    violations.push(violation('bias-mitigation', `The bias evaluation has failed disparities (${failed.map((d) => `${d.metric} for ${d.group}`).join(', ')}) and no mitigations.`));
  }
  return violations;
}

/** A prohibited-practice exception may be in use only under a granted, currently valid authorisation. */
export function needsAuthorisation(content: Content): boolean {
  return content.classification?.riskClass === 'prohibited_practice_exception' && content.identity?.lifecycle?.status === 'in_use';
}

export const AUTHORISATION_REQUIRED: RuleViolation = violation(
  'authorisation-required',
  'An in_use tool of class prohibited_practice_exception needs a granted judicial or independent administrative authorisation valid today (AI Act Art. 5(3)).',
);
