import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const FINDING_STATUSES = ['open', 'answered', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export class OpenFindingDto {
  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES, { message: `severity must be one of ${SEVERITIES.join(', ')}` })
  severity: (typeof SEVERITIES)[number];

  @ApiProperty()
  @IsString({ message: 'title must be text' })
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(300)
  title: string;

  @ApiProperty()
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(20000)
  body: string;
}

export class RespondDto {
  @ApiProperty()
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(20000)
  body: string;
}

export class CloseFindingDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(20000)
  note?: string;
}

export class ListFindingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FINDING_STATUSES })
  @IsOptional()
  @IsIn(FINDING_STATUSES, { message: `status must be one of ${FINDING_STATUSES.join(', ')}` })
  status?: FindingStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the findings on this tool' })
  @IsOptional()
  @IsUUID('all', { message: 'toolId must be a UUID' })
  toolId?: string;
}

export class FindingResponseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class FindingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: FINDING_STATUSES }) status: FindingStatus;
  @ApiProperty() openedBy: string;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty({ nullable: true, type: String }) closedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closingNote: string | null;
  @ApiProperty({ type: [FindingResponseView] }) responses: FindingResponseView[];
}

export class FindingPage {
  @ApiProperty({ type: [FindingView] }) items: FindingView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
