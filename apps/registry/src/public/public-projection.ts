import { ASSESSMENT_SCHEMAS, type AssessmentKind } from '../declarations/assessments/assessment.schemas.js';
import { AUTHORISATION_SCHEMA } from '../declarations/authorisations/authorisation.schema.js';
import { projectContent, publicContent, type Redaction } from '../declarations/schema/projection.js';
import { contentHash } from '../log/log-entry.js';
import { encodeBase64 } from '@custodia/tlog';

/**
 * What the public sees, decided in one place (PRODUCT.md "Field visibility"): the schema's
 * `x-visibility` and the redactions in force when a revision was published. `oversight` and
 * `sensitive_operational` fields never pass; non-public tools never reach these functions
 * (the queries leave them out and only count them).
 */

export interface LogPosition {
  index: number;
  leafHash: string;
}

export interface PublicRevision {
  revision: number;
  publishedAt: string;
  /** The language the declaration is written in, as the agency stated it. */
  language: string | null;
  content: Record<string, unknown>;
  redactions: Redaction[];
  /** Hex SHA-256 of the RFC 8785 canonical JSON of `content`, as logged when it was published. */
  publicContentHash: string;
  /** The log entry that published the revision; null while it waits for the integrator. */
  log: LogPosition | null;
}

export interface PublishedRevisionRow {
  number: number;
  content: Record<string, unknown>;
  redactions: Redaction[] | null;
  decided_at: Date;
  log_index: string | null;
  leaf_hash: Buffer | null;
}

export function publicRevision(row: PublishedRevisionRow): PublicRevision {
  const redactions = (row.redactions ?? []).map(({ field, reasonCode, reason }) => ({ field, reasonCode, reason }));
  const content = publicContent(row.content, redactions) as Record<string, unknown>;
  return {
    revision: row.number,
    publishedAt: row.decided_at.toISOString(),
    language: typeof content.language === 'string' ? content.language : null,
    content,
    redactions,
    publicContentHash: contentHash(content),
    log: row.log_index === null || !row.leaf_hash ? null : { index: Number(row.log_index), leafHash: encodeBase64(row.leaf_hash) },
  };
}

export interface PublicAssessment {
  id: string;
  kind: AssessmentKind;
  recordedAt: string;
  /** False once a newer assessment of the same kind superseded it. */
  current: boolean;
  content: Record<string, unknown>;
}

/** Assessments have no redactions of their own: only their `public` fields are shown. */
export function publicAssessment(row: { id: string; kind: AssessmentKind; content: unknown; created_at: Date; current: boolean }): PublicAssessment {
  return {
    id: row.id,
    kind: row.kind,
    recordedAt: row.created_at.toISOString(),
    current: row.current,
    content: projectContent(row.content, ['public'], ASSESSMENT_SCHEMAS[row.kind]) as Record<string, unknown>,
  };
}

export interface PublicAuthorisation {
  id: string;
  status: string;
  statusChangedAt: string;
  /** Authority type and name, dates, validity window and urgency: never the decision's contents. */
  content: Record<string, unknown>;
}

export function publicAuthorisation(row: { id: string; status: string; status_changed_at: Date; content: unknown }): PublicAuthorisation {
  return {
    id: row.id,
    status: row.status,
    statusChangedAt: row.status_changed_at.toISOString(),
    content: projectContent(row.content, ['public'], AUTHORISATION_SCHEMA) as Record<string, unknown>,
  };
}

export interface PublicFinding {
  id: string;
  severity: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
}

/** That the oversight body raised a finding, how grave, and whether it is settled; not its text. */
export function publicFinding(row: { id: string; severity: string; status: string; opened_at: Date; closed_at: Date | null }): PublicFinding {
  return {
    id: row.id,
    severity: row.severity,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
