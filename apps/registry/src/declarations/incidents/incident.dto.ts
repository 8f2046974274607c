import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';
import type { IncidentDeadline } from './incident-deadline.js';
import { INCIDENT_STATUSES } from './incident.schema.js';

export class IncidentContentDto {
  @ApiProperty({ description: 'The incident, as GET /api/v1/schema/incident describes it (the whole of it: a new version replaces the last)' })
  @IsObject({ message: 'content must be an object (see GET /api/v1/schema/incident)' })
  content: Record<string, unknown>;
}

export class IncidentVersionView {
  @ApiProperty() version: number;
  @ApiProperty() content: Record<string, unknown>;
  @ApiProperty() authorId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ description: 'The latest version' }) version: number;
  @ApiProperty({ description: 'The latest version\'s content' }) content: Record<string, unknown>;
  @ApiProperty({ description: 'AI Act Art. 73: {days, dueOn, late, overdue} for notifying the authority' }) deadline: IncidentDeadline | null;
  @ApiProperty({ type: [IncidentVersionView], description: 'Every version, oldest first' }) versions: IncidentVersionView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ListIncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'toolId must be a UUID' })
  toolId?: string;

  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, description: "The latest version's status" })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES, { message: `status must be one of ${INCIDENT_STATUSES.join(', ')}` })
  status?: (typeof INCIDENT_STATUSES)[number];
}

export class IncidentPage {
  @ApiProperty({ type: [IncidentView] }) items: IncidentView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
