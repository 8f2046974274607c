import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import { AssessmentView, CreateAssessmentDto } from './assessment.dto.js';
import { AssessmentsService } from './assessments.service.js';

@ApiTags('assessments')
@ApiBearerAuth()
@Controller('api/v1/tools/:id/assessments')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Post()
  @HttpCode(201)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: AssessmentView })
  @ApiOperation({ summary: 'Record an assessment (fria, bias, gender_impact, huderia, dpia); it supersedes the previous of its kind' })
  async create(
    @Param('id', uuidParam()) id: string,
    @Body() dto: CreateAssessmentDto,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssessmentView> {
    const { value, logEntry } = await this.assessments.create(id, dto, actor);
    res.setHeader('X-Log-Entry', logEntry);
    return value;
  }

  @Get()
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: [AssessmentView] })
  list(@Param('id', uuidParam()) id: string, @CurrentUser() user: Actor): Promise<AssessmentView[]> {
    return this.assessments.list(id, user);
  }
}
