import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator.js';
import { CloseFindingDto, FINDING_STATUSES, ListFindingsQuery, OpenFindingDto, RespondDto, SEVERITIES } from '../declarations/findings/finding.dto.js';
import { FindingsService } from '../declarations/findings/findings.service.js';
import { ToolsService } from '../declarations/tools/tools.service.js';
import { problemOf } from '../http/problem.filter.js';
import { uuidParam } from '../http/uuid.pipe.js';
import { actorOf, userOf } from './console-auth.js';
import { asDto, byField, ConsoleController, definedOnly, type Form, LanguagePipe, nextPage, posted, text } from './console-common.js';
import { ConsolePages } from './console-pages.js';

/**
 * Oversight findings as a thread: the oversight body opens one on a tool with a severity, the
 * agency answers, the oversight body closes it, each step through FindingsService as the API's.
 */
@ConsoleController()
export class ConsoleFindingsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly findings: FindingsService,
    private readonly tools: ToolsService,
  ) {}

  @Get('tools/:id/findings/new')
  @Roles('oversight')
  async newFinding(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view } = await this.tools.get(id, userOf(request));
    this.pages.send(request, response, 'finding-new.njk', { tool: view, severities: SEVERITIES, values: {}, errors: {} });
  }

  @Post('tools/:id/findings')
  @Roles('oversight')
  async open(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { view } = await this.tools.get(id, userOf(request));
    const values = { severity: posted(body, 'severity') ?? '', title: posted(body, 'title')?.trim() ?? '', body: posted(body, 'body')?.trim() ?? '' };
    try {
      const dto = await asDto(OpenFindingDto, values);
      const { value } = await this.findings.open(id, dto, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/findings/${value.id}`, { key: 'done.findingOpened' });
    } catch (error) {
      this.pages.send(request, response, 'finding-new.njk', { tool: view, severities: SEVERITIES, values, errors: byField(error, this.pages.inWords(request)) }, problemOf(error).status);
    }
  }

  @Get('findings')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  async list(@Param('lang', LanguagePipe) _lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filters = { status: text(raw.status), cursor: text(raw.cursor) };
    const query = await asDto(ListFindingsQuery, definedOnly(filters), 'query');
    const page = await this.findings.list(query, userOf(request));
    const next = nextPage(filters, page.nextCursor);
    this.pages.send(request, response, 'findings.njk', { findings: page.items, filters, statuses: FINDING_STATUSES, next });
  }

  @Get('findings/:fid')
  @Roles('oversight', 'agency_editor', 'agency_approver')
  async thread(@Param('lang', LanguagePipe) _lang: string, @Param('fid', uuidParam('fid')) fid: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.threadPage(request, response, fid);
  }

  @Post('findings/:fid/responses')
  @Roles('agency_editor', 'agency_approver')
  async respond(@Param('lang', LanguagePipe) lang: string, @Param('fid', uuidParam('fid')) fid: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const text = posted(body, 'body')?.trim() ?? '';
    try {
      const dto = await asDto(RespondDto, { body: text });
      await this.findings.respond(fid, dto.body, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/findings/${fid}`, { key: 'done.findingAnswered' });
    } catch (error) {
      await this.threadPage(request, response, fid, { answer: text }, byField(error, this.pages.inWords(request)), problemOf(error).status);
    }
  }

  @Post('findings/:fid/close')
  @Roles('oversight')
  async close(@Param('lang', LanguagePipe) lang: string, @Param('fid', uuidParam('fid')) fid: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const note = posted(body, 'note')?.trim() || undefined;
    try {
      const dto = await asDto(CloseFindingDto, note === undefined ? {} : { note });
      await this.findings.close(fid, dto.note, actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/findings/${fid}`, { key: 'done.findingClosed' });
    } catch (error) {
      await this.threadPage(request, response, fid, { note: note ?? '' }, byField(error, this.pages.inWords(request)), problemOf(error).status);
    }
  }

  private async threadPage(request: Request, response: Response, fid: string, values: Record<string, string> = {}, errors: Record<string, string> = {}, status = 200): Promise<void> {
    const user = userOf(request);
    const finding = await this.findings.get(fid, user);
    const { view } = await this.tools.get(finding.toolId, user);
    this.pages.send(request, response, 'finding.njk', { finding, tool: view, values, errors }, status);
  }
}
