import type { AssessmentKind } from '../declarations/assessments/assessment.schemas.js';
import type { PROCUREMENT_ROUTES, SOURCE_CODE_AVAILABILITY } from '../declarations/schema/declaration.schema.js';

/**
 * The shape of one demonstration tool: what its agency declares, in the agency's language, and
 * what happens to it (assessments, authorisation, workflow, a second revision, a finding).
 * The fields follow the declaration schema (declaration.schema.ts), which the services check.
 */

export type DemoOutcome = 'draft' | 'submitted' | 'published' | 'rejected';
type Risk = 'prohibited_practice_exception' | 'high_risk' | 'limited_risk' | 'minimal_risk' | 'outside_scope';
type Lifecycle = 'planned' | 'pilot' | 'in_use' | 'suspended' | 'retired';
type Json = Record<string, unknown>;

export interface DemoLifecycle {
  status: Lifecycle;
  plannedSince?: string;
  pilotSince?: string;
  inUseSince?: string;
  suspendedSince?: string;
  retiredOn?: string;
}

export interface DemoTransparency {
  modelType: string;
  techniques?: string[];
  inputs: string;
  outputs: string;
  trainingData?: Json;
  performance?: Array<{ metric: string; value: string; testConditions?: string }>;
  explainability?: string;
  humanOversight: {
    understandCapacities?: string;
    automationBias?: string;
    interpretOutput?: string;
    decideNotToUse?: string;
    interveneOrStop?: string;
  };
  humanReview?: string;
  sourceCode: { availability: (typeof SOURCE_CODE_AVAILABILITY)[number]; location?: string };
  /** `description` is seen by the agency and the oversight body only. */
  logging: { retentionMonths: number; description?: string };
  affectedPersons: { informationGiven?: string; howToContest: string };
}

export interface DemoLegalBasis {
  jurisdiction: string;
  instrument: string;
  article?: string;
  url?: string;
  summary?: string;
}

export type RedactionReason = 'investigation_integrity' | 'public_security' | 'third_party_rights';

export interface DemoTool {
  agency: string;
  /** When it differs from its agency's language. */
  language?: string;
  name: string;
  description: string;
  purpose: string;
  functions?: string[];
  provider: [name: string, country: string];
  version: string;
  procurement: (typeof PROCUREMENT_ROUTES)[number];
  regions?: string[];
  risk: Risk;
  annex?: string;
  rationale: string;
  /** Art. 5(1) screening answers that say more than "not applicable", by letter. */
  article5?: Partial<Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h', { performs: boolean; explanation: string }>>;
  lifecycle: DemoLifecycle;
  crimeAreas: string[];
  transparency: DemoTransparency;
  legalBasis: DemoLegalBasis[];
  outcome: DemoOutcome;
  /** Why the approver rejected it (outcome 'rejected'). */
  rejectedBecause?: string;
  nonPublic?: boolean;
  /** Assessments recorded before publication, each written for this tool. */
  assessments?: Partial<Record<AssessmentKind, Json>>;
  /**
   * A judicial authorisation: 'expiring' ends within 30 days; 'expired' is an earlier window
   * that has ended while the current one is revoked, so the tool is in use without one.
   */
  authorisation?: {
    window: 'expiring' | 'expired';
    authority: string;
    scope: { geographic: string; temporal?: string; persons: string };
    conditions?: string;
    revokedBecause?: string;
  };
  /** A second published revision: what changed, and restricted fields redacted from then on. */
  revise?: {
    lifecycle?: DemoLifecycle;
    description?: string;
    trainingData?: Json;
    redact?: Array<{ field: string; reasonCode: RedactionReason; reason: string }>;
  };
  /** An oversight finding; answered when it has an answer, closed when it has a closing note. */
  finding?: { severity: 'low' | 'medium' | 'high' | 'critical'; title: string; body: string; answer?: string; closing?: string };
}
