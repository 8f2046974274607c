import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import type { Logged } from '../../log/log-writer.service.js';
import type { Page } from '../../pagination/page.js';
import { CloseFindingDto, FindingPage, FindingView, ListFindingsQuery, OpenFindingDto, RespondDto } from './finding.dto.js';
import { FindingsService } from './findings.service.js';

@ApiTags('findings')
@ApiBearerAuth()
@Controller('api/v1')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Post('tools/:id/findings')
  @HttpCode(201)
  @Roles('oversight')
  @ApiOkResponse({ type: FindingView })
  @ApiOperation({ summary: 'Open a finding on a tool (oversight)' })
  async open(@Param('id', uuidParam()) id: string, @Body() dto: OpenFindingDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<FindingView> {
    return send(res, await this.findings.open(id, dto, actor));
  }

  @Get('findings')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  @ApiOkResponse({ type: FindingPage })
  @ApiOperation({ summary: 'Findings, oldest first (oversight: all; agency staff: their own agency)' })
  list(@Query() query: ListFindingsQuery, @CurrentUser() user: Actor): Promise<Page<FindingView>> {
    return this.findings.list(query, user);
  }

  @Get('findings/:fid')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  @ApiOkResponse({ type: FindingView })
  get(@Param('fid', uuidParam('fid')) fid: string, @CurrentUser() user: Actor): Promise<FindingView> {
    return this.findings.get(fid, user);
  }

  @Post('findings/:fid/responses')
  @HttpCode(201)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: FindingView })
  @ApiOperation({ summary: "The agency's answer to a finding" })
  async respond(@Param('fid', uuidParam('fid')) fid: string, @Body() dto: RespondDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<FindingView> {
    return send(res, await this.findings.respond(fid, dto.body, actor));
  }

  @Post('findings/:fid/close')
  @HttpCode(200)
  @Roles('oversight')
  @ApiOkResponse({ type: FindingView })
  async close(@Param('fid', uuidParam('fid')) fid: string, @Body() dto: CloseFindingDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<FindingView> {
    return send(res, await this.findings.close(fid, dto.note, actor));
  }
}

function send(res: Response, { value, logEntry }: Logged<FindingView>): FindingView {
  res.setHeader('X-Log-Entry', logEntry);
  return value;
}
