import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { ValidationProblem } from '../../http/problem.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import type { Logged } from '../../log/log-writer.service.js';
import type { Page } from '../../pagination/page.js';
import { CreateToolDto, DraftDto, ListToolsQuery, RedactionsDto, RejectDto, RevisionView, ToolPage, ToolView } from './tool.dto.js';
import { assertNlRecord, fromNlRecord, type NlImport } from '../../public/nl-register.js';
import { ToolsService, type VersionedTool } from './tools.service.js';

const IF_MATCH = { name: 'If-Match', required: true, description: 'The ETag of the tool as last read (428 without it, 412 when stale)' };

@ApiTags('tools')
@ApiBearerAuth()
@Controller('api/v1/tools')
export class ToolsController {
  constructor(private readonly tools: ToolsService) {}

  @Post()
  @HttpCode(201)
  @Roles('agency_editor')
  @ApiOkResponse({ type: ToolView })
  @ApiOperation({ summary: "Declare a tool of the caller's agency: revision 1, in draft (any subset of valid fields; revision.missing lists the rest)" })
  async create(@Body() dto: CreateToolDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ToolView> {
    const view = send(res, await this.tools.create(dto, actor));
    res.location(`/api/v1/tools/${view.id}`);
    return view;
  }

  @Post('import/nl')
  @HttpCode(201)
  @Roles('agency_editor')
  @ApiOperation({
    summary: "Declare a tool from one record of the Dutch Algoritmeregister (Publicatiestandaard v1.0.0): a new draft, and the record's fields that have no place in the declaration (unmapped), never dropped",
  })
  @ApiOkResponse({ description: 'The tool, as POST /api/v1/tools answers, with unmapped: [{field, value, reason}]' })
  async importNl(@Body() record: object, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ToolView & { unmapped: NlImport['unmapped'] }> {
    assertNlRecord(record);
    const { content, unmapped } = fromNlRecord(record);
    const view = send(res, await this.tools.create({ content }, actor));
    res.location(`/api/v1/tools/${view.id}`);
    return { ...view, unmapped };
  }

  @Get()
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: ToolPage })
  @ApiOperation({ summary: "Tools of the caller's agency (oversight: of every agency)" })
  list(@Query() query: ListToolsQuery, @CurrentUser() user: Actor): Promise<Page<ToolView>> {
    return this.tools.list(query, user);
  }

  @Get(':id')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: ToolView })
  async get(@Param('id', uuidParam()) id: string, @CurrentUser() user: Actor, @Res({ passthrough: true }) res: Response): Promise<ToolView> {
    const { view, etag } = await this.tools.get(id, user);
    res.setHeader('ETag', etag);
    return view;
  }

  @Put(':id/draft')
  @Roles('agency_editor')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ToolView })
  @ApiOperation({ summary: 'Replace the open draft, or open a new draft after a published or rejected revision' })
  async draft(
    @Param('id', uuidParam()) id: string,
    @Body() dto: DraftDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    return send(res, await this.tools.saveDraft(id, dto.content, ifMatch, actor));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('agency_editor')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ToolView })
  @ApiOperation({ summary: 'Submit the draft for approval: only a complete declaration' })
  @ApiUnprocessableEntityResponse({ description: 'urn:custodia:problem:incomplete: errors names every field the draft still lacks' })
  async submit(@Param('id', uuidParam()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ToolView> {
    return send(res, await this.tools.submit(id, ifMatch, actor));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('agency_approver')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ToolView })
  @ApiOperation({ summary: 'Publish the submitted revision; never by whoever last changed it (four eyes)' })
  @ApiUnprocessableEntityResponse({ description: 'urn:custodia:problem:rule-violated: violations [{rule, message, fix}], fix naming the route that mends it' })
  async publish(@Param('id', uuidParam()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ToolView> {
    return send(res, await this.tools.publish(id, ifMatch, actor));
  }

  @Put(':id/redactions')
  @Roles('agency_editor')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ToolView })
  @ApiOperation({ summary: 'Replace the redactions of restricted fields, with a reason each; they apply from the next published revision' })
  async redactions(
    @Param('id', uuidParam()) id: string,
    @Body() dto: RedactionsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    return send(res, await this.tools.setRedactions(id, dto.redactions, ifMatch, actor));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('agency_approver')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ToolView })
  async reject(
    @Param('id', uuidParam()) id: string,
    @Body() dto: RejectDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    return send(res, await this.tools.reject(id, dto.reason, ifMatch, actor));
  }

  @Get(':id/revisions')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: [RevisionView] })
  revisions(@Param('id', uuidParam()) id: string, @CurrentUser() user: Actor): Promise<RevisionView[]> {
    return this.tools.revisions(id, user);
  }

  @Get(':id/revisions/:number')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: RevisionView })
  revision(
    @Param('id', uuidParam()) id: string,
    @Param('number', new ParseIntPipe({ exceptionFactory: () => new ValidationProblem([{ field: 'number', message: 'number must be a revision number' }]) })) number: number,
    @CurrentUser() user: Actor,
  ): Promise<RevisionView> {
    return this.tools.revision(id, number, user);
  }
}

/** Sets ETag and X-Log-Entry for a write and returns its body. */
function send(res: Response, { value, logEntry }: Logged<VersionedTool>): ToolView {
  res.setHeader('ETag', value.etag).setHeader('X-Log-Entry', logEntry);
  return value.view;
}
