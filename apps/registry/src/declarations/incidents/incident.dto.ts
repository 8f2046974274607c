import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { IncidentDeadline } from './incident-deadline.js';

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
