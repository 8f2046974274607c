import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import type { Page } from '../../pagination/page.js';
import { ListReportsQuery, PublicReportDto, ReplyDto, ReportPage, ReportView } from './report.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@Controller('api/v1')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('public/tools/:id/reports')
  @Public()
  @ApiOperation({ summary: 'Report that a published declaration seems wrong or incomplete (no account; rate limited)' })
  @ApiCreatedResponse({ description: '{id, status, receivedAt}: the report is with the agency and the oversight body' })
  @ApiAcceptedResponse({ description: 'Received (a report that filled the field against bots is not kept)' })
  async receive(@Param('id', uuidParam()) id: string, @Body() dto: PublicReportDto, @Req() request: Request, @Res({ passthrough: true }) res: Response) {
    const received = await this.reports.receive(id, dto, String(request.id));
    res.setHeader('Cache-Control', 'no-store');
    if (!received) {
      res.status(HttpStatus.ACCEPTED);
      return { status: 'received' };
    }
    res.status(HttpStatus.CREATED).setHeader('X-Log-Entry', received.logEntry);
    return received.value;
  }

  @Get('reports')
  @ApiBearerAuth()
  @Roles('oversight', 'agency_editor', 'agency_approver')
  @ApiOkResponse({ type: ReportPage })
  @ApiOperation({ summary: "The public's reports, oldest first (oversight: all, with contact addresses; agency staff: their agency's)" })
  list(@Query() query: ListReportsQuery, @CurrentUser() user: Actor): Promise<Page<ReportView>> {
    return this.reports.list(query, user);
  }

  @Post('reports/:rid/answer')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles('oversight', 'agency_editor', 'agency_approver')
  @ApiOkResponse({ type: ReportView })
  @ApiOperation({ summary: 'Answer a report (its agency or the oversight body)' })
  answer(@Param('rid', uuidParam('rid')) rid: string, @Body() dto: ReplyDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response) {
    return this.step(res, this.reports.reply(rid, 'answered', dto.reply, actor));
  }

  @Post('reports/:rid/dismiss')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles('oversight', 'agency_editor', 'agency_approver')
  @ApiOkResponse({ type: ReportView })
  @ApiOperation({ summary: 'Dismiss a report, saying why (its agency or the oversight body)' })
  dismiss(@Param('rid', uuidParam('rid')) rid: string, @Body() dto: ReplyDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response) {
    return this.step(res, this.reports.reply(rid, 'dismissed', dto.reply, actor));
  }

  private async step(res: Response, done: ReturnType<ReportsService['reply']>): Promise<ReportView> {
    const { value, logEntry } = await done;
    res.setHeader('X-Log-Entry', logEntry);
    return value;
  }
}
