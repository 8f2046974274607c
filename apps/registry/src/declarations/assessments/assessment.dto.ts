import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import { ASSESSMENT_KINDS, type AssessmentKind } from './assessment.schemas.js';

export class CreateAssessmentDto {
  @ApiProperty({ enum: ASSESSMENT_KINDS })
  @IsIn(ASSESSMENT_KINDS, { message: `kind must be one of ${ASSESSMENT_KINDS.join(', ')}` })
  kind: AssessmentKind;

  @ApiProperty({ description: 'The assessment, as GET /api/v1/schema/assessments describes its kind' })
  @IsObject({ message: 'content must be an object (see GET /api/v1/schema/assessments)' })
  content: Record<string, unknown>;
}

export class AssessmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS }) kind: AssessmentKind;
  @ApiProperty() content: Record<string, unknown>;
  @ApiProperty() authorId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The assessment of the same kind this one replaced' })
  supersedes: string | null;
  @ApiProperty({ description: 'Whether this is the latest assessment of its kind' }) current: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
