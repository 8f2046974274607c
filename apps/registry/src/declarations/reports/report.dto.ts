import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';

export const REPORT_STATUSES = ['received', 'answered', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What anyone may send from a tool's public page: no account, no personal data required. */
export class PublicReportDto {
  @ApiProperty({ description: 'What seems wrong or missing in the declaration', minLength: 10, maxLength: 4000 })
  @IsString({ message: 'text must be text' })
  @MinLength(10, { message: 'text must say in at least 10 characters what seems wrong or missing' })
  @MaxLength(4000, { message: 'text must be at most 4000 characters' })
  text: string;

  @ApiPropertyOptional({ description: 'An e-mail address for an answer: seen only by the oversight body, never published nor logged' })
  @IsOptional()
  @IsEmail({}, { message: 'contact must be an e-mail address, or left out' })
  @MaxLength(320)
  contact?: string;

  // A field no person sees or fills (hidden on the portal's form): a bot that fills it is told
  // its report was received, and nothing is kept.
  @ApiPropertyOptional({ description: 'Leave empty (a field against bots)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class ReplyDto {
  @ApiProperty({ description: 'The answer, or why the report is dismissed' })
  @IsString({ message: 'reply must be text' })
  @MinLength(1, { message: 'reply must not be empty' })
  @MaxLength(4000)
  reply: string;
}

export class ListReportsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'toolId must be a UUID' })
  toolId?: string;

  @ApiPropertyOptional({ enum: REPORT_STATUSES })
  @IsOptional()
  @IsIn(REPORT_STATUSES, { message: `status must be one of ${REPORT_STATUSES.join(', ')}` })
  status?: ReportStatus;
}

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ description: 'Only for the oversight body', nullable: true, type: String }) contact?: string | null;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ nullable: true, type: String }) reply: string | null;
  @ApiProperty({ nullable: true, type: String }) repliedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) repliedAt: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

export class ReportPage {
  @ApiProperty({ type: [ReportView] }) items: ReportView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
