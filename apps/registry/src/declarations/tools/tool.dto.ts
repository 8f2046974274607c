import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';
import { RISK_CLASSES } from '../schema/declaration.schema.js';
import { fieldVisibilities } from '../schema/declaration-validator.js';

export const REVISION_STATUSES = ['draft', 'submitted', 'published', 'rejected'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

export class CreateToolDto {
  @ApiProperty({ description: 'The declaration content, as GET /api/v1/schema describes it: a draft may hold any subset of valid fields, completeness is checked at submission' })
  @IsObject({ message: 'content must be an object (see GET /api/v1/schema)' })
  content: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The existence of the tool itself is confidential (AI Act Art. 49(4)): the public sees only counts' })
  @IsOptional()
  @IsBoolean({ message: 'nonPublic must be true or false' })
  nonPublic?: boolean;
}

export class DraftDto {
  @ApiProperty({ description: 'The whole content of the draft, replacing what it held; it may be incomplete (see revision.missing)' })
  @IsObject({ message: 'content must be an object (see GET /api/v1/schema)' })
  content: Record<string, unknown>;
}

export class RejectDto {
  @ApiProperty({ description: 'Why the revision is rejected, for its author' })
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(4000)
  reason: string;
}

export class ListToolsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId?: string;

  @ApiPropertyOptional({ enum: REVISION_STATUSES, description: 'Status of the latest revision' })
  @IsOptional()
  @IsIn(REVISION_STATUSES, { message: `status must be one of ${REVISION_STATUSES.join(', ')}` })
  status?: RevisionStatus;

  @ApiPropertyOptional({ enum: RISK_CLASSES })
  @IsOptional()
  @IsIn(RISK_CLASSES, { message: `riskClass must be one of ${RISK_CLASSES.join(', ')}` })
  riskClass?: string;

  @ApiPropertyOptional({ description: 'Words in the name, reference or description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class RevisionView {
  @ApiProperty() number: number;
  @ApiProperty({ enum: REVISION_STATUSES }) status: RevisionStatus;
  @ApiProperty() content: Record<string, unknown>;
  @ApiProperty({
    type: [String],
    description: 'For a draft, the fields (dot paths in content) it still needs before it can be submitted; empty when complete or decided',
    example: ['identity.lifecycle.status', 'legalBasis'],
  })
  missing: string[];
  @ApiPropertyOptional({
    type: [Object],
    description:
      'On a single tool (GET /api/v1/tools/{id} and every write answer) whose latest revision is open: the publication rules it breaks now, ' +
      'each {rule, message, fix} with the route that fixes it (docs/declarations.md). Not in lists.',
  })
  blockers?: Array<{ rule: string; message: string; fix: string }>;
  @ApiProperty({ description: 'Opaque id of whoever last changed the revision (its author for the four-eyes rule)' }) authorId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason: string | null;
  @ApiProperty({ nullable: true, type: [Object], description: 'The redactions in force when it was published' })
  redactions: Array<{ field: string; reasonCode: string; reason: string }> | null;
}

export class ToolView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ example: 'CR-POL-0007' }) reference: string;
  @ApiProperty() nonPublic: boolean;
  @ApiProperty({ description: 'Number of the latest revision' }) latestRevision: number;
  @ApiProperty({ nullable: true, type: Number }) publishedRevision: number | null;
  @ApiProperty({ type: [Object], description: 'Redactions that the next published revision will carry' })
  redactions: Array<{ field: string; reasonCode: string; reason: string }>;
  @ApiProperty({ type: RevisionView, description: 'The latest revision, with its full content' }) revision: RevisionView;
  @ApiPropertyOptional({
    type: [Object],
    description: 'On GET of a single published tool: its legal-basis links as last checked, {url, outcome (ok, broken, unreachable), status, finalUrl, detail, checkedAt, brokenSince}',
  })
  legalLinks?: Array<{ url: string; outcome: string; status: number | null; finalUrl: string | null; detail: string | null; checkedAt: string; brokenSince: string | null }>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ToolPage {
  @ApiProperty({ type: [ToolView] }) items: ToolView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

// PRODUCT.md "Field visibility": the fixed list of reasons for withholding a restricted field.
export const REDACTION_REASONS = [
  'investigation_integrity',
  'public_security',
  'national_security',
  'third_party_rights',
  'intellectual_property',
  'personal_data',
] as const;

// The fields a redaction may name: the schema's restricted ones, outside lists.
export const REDACTABLE_FIELDS = [...fieldVisibilities()]
  .filter(([path, level]) => level === 'restricted' && !path.includes('[]'))
  .map(([path]) => path);

export class RedactionDto {
  @ApiProperty({ enum: REDACTABLE_FIELDS, description: 'Dot path of a restricted field of the declaration schema' })
  @IsIn(REDACTABLE_FIELDS, { message: `field must be a restricted field of the declaration schema: ${REDACTABLE_FIELDS.join(', ')}` })
  field: string;

  @ApiProperty({ enum: REDACTION_REASONS })
  @IsIn(REDACTION_REASONS, { message: `reasonCode must be one of ${REDACTION_REASONS.join(', ')}` })
  reasonCode: (typeof REDACTION_REASONS)[number];

  @ApiProperty({ description: 'The reason in words, shown to the public' })
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(2000)
  reason: string;
}

export class RedactionsDto {
  @ApiProperty({ type: [RedactionDto] })
  @IsArray({ message: 'redactions must be a list' })
  @ArrayMaxSize(100)
  // ValidateNested alone lets a list inside the list through unchecked.
  @IsObject({ each: true, message: 'each redaction must be an object with field, reasonCode and reason' })
  @ValidateNested({ each: true })
  @Type(() => RedactionDto)
  redactions: RedactionDto[];
}
