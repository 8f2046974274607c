import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import type { Logged } from '../../log/log-writer.service.js';
import type { Page } from '../../pagination/page.js';
import { IncidentContentDto, IncidentPage, IncidentView, ListIncidentsQuery } from './incident.dto.js';
import { IncidentsService } from './incidents.service.js';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/v1')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post('tools/:id/incidents')
  @HttpCode(201)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: IncidentView })
  @ApiOperation({ summary: 'Record a serious incident on a tool of your agency (AI Act Art. 73): version 1' })
  async report(@Param('id', uuidParam()) id: string, @Body() dto: IncidentContentDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    return send(res, await this.incidents.report(id, dto.content, actor));
  }

  @Get('tools/:id/incidents')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: [IncidentView] })
  list(@Param('id', uuidParam()) id: string, @CurrentUser() user: Actor): Promise<IncidentView[]> {
    return this.incidents.list(id, user);
  }

  @Get('incidents')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: IncidentPage })
  @ApiOperation({ summary: "Serious incidents across tools, newest first, by their latest status (oversight: all; agency staff: their agency's)" })
  listAll(@Query() query: ListIncidentsQuery, @CurrentUser() user: Actor): Promise<Page<IncidentView>> {
    return this.incidents.listAll(query, user);
  }

  @Get('incidents/:iid')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: IncidentView })
  get(@Param('iid', uuidParam('iid')) iid: string, @CurrentUser() user: Actor): Promise<IncidentView> {
    return this.incidents.get(iid, user);
  }

  @Post('incidents/:iid/versions')
  @HttpCode(201)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: IncidentView })
  @ApiOperation({ summary: 'A new version of an incident (e.g. the authority notified, the measures taken): the whole content, the earlier versions kept' })
  async revise(@Param('iid', uuidParam('iid')) iid: string, @Body() dto: IncidentContentDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    return send(res, await this.incidents.revise(iid, dto.content, actor));
  }
}

function send(res: Response, { value, logEntry }: Logged<IncidentView>): IncidentView {
  res.setHeader('X-Log-Entry', logEntry);
  return value;
}
