import { Controller, Get, Header, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/public.decorator.js';
import { originOf } from '../../http/origin.js';
import { ProblemException } from '../../http/problem.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import { type NlExport, toNlExport } from '../nl-register.js';
import { authorisationFiguresCsv, toCsv } from '../public-export.js';
import type { PublicRevision } from '../public-projection.js';
import { type PublicStats, type PublicTool, type PublicToolFacets, type PublicToolPage, PublicToolsService } from '../public-tools.service.js';
import { PublicToolFilter, PublicToolsQuery } from './public-tools.query.js';

// Public answers may be cached by browsers and proxies for a minute; Express adds an ETag and
// answers a matching If-None-Match with 304.
const CACHE = 'public, max-age=60, stale-while-revalidate=300';
const EXPORT_CACHE = 'public, max-age=300';

@ApiTags('public')
@Controller('api/v1/public')
@Public()
export class PublicApiController {
  constructor(private readonly tools: PublicToolsService) {}

  @Get('tools')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ description: '{items, total, totalExact, match?, nextCursor}: summaries of published, public tools in reference order, or with q best match first; total is exact up to 1,000 (totalExact false: more than total)' })
  @ApiOperation({ summary: 'Search published tools (public fields only)' })
  list(@Query() query: PublicToolsQuery): Promise<PublicToolPage> {
    const { limit, cursor, ...filter } = query;
    return this.tools.search(filter, { limit, cursor });
  }

  @Get('facets')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ description: '{total, match?, country, agencyKind, riskClass, lifecycle, crimeArea}: for each, [{value, count}] of the tools the same filters find' })
  @ApiOperation({ summary: 'Facet counts of a public search (the filters of GET /api/v1/public/tools)' })
  facets(@Query() filter: PublicToolFilter): Promise<PublicToolFacets> {
    return this.tools.facetCounts(filter);
  }

  @Get('tools/:id')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ description: 'The public projection of the latest published revision, with redactions, its log entry and publicContentHash' })
  @ApiOperation({ summary: 'A published tool as the public sees it' })
  async tool(@Param('id', uuidParam()) id: string): Promise<PublicTool> {
    return (await this.tools.tool(id)) ?? notFound();
  }

  @Get('tools/:id/revisions')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ description: 'Every published revision, oldest first, each with its projection, redactions, hash and log entry' })
  @ApiOperation({ summary: 'The published history of a tool' })
  async revisions(@Param('id', uuidParam()) id: string): Promise<{ items: PublicRevision[] }> {
    return { items: (await this.tools.revisions(id)) ?? notFound() };
  }

  @Get('stats')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ description: 'Counts by country, agency kind, risk class and lifecycle (non-public tools counted apart), authorisations by year, and the AI Act Art. 5(6) figures by country and year' })
  @ApiOperation({ summary: 'Aggregate statistics, including tools declared non-public as counts' })
  stats(): Promise<PublicStats> {
    return this.tools.stats();
  }

  @Get('export.json')
  @Header('Cache-Control', EXPORT_CACHE)
  @Header('Content-Disposition', 'attachment; filename="custodia-tools.json"')
  @ApiOkResponse({ description: 'Every public tool with its whole published history (docs/open-data.md)' })
  @ApiOperation({ summary: 'Open data: all public projections as JSON' })
  async exportJson(): Promise<{ generatedAt: string; schema: string; tools: unknown[] }> {
    return { generatedAt: new Date().toISOString(), schema: '/api/v1/schema', tools: await this.tools.export() };
  }

  @Get('export.nl.json')
  @Header('Cache-Control', EXPORT_CACHE)
  @Header('Content-Disposition', 'attachment; filename="custodia-algoritmeregister.json"')
  @ApiOkResponse({ description: "The public declarations written in Dutch as records of the Dutch Algoritmeregister's Publicatiestandaard v1.0.0, and the others listed with why not (docs/mappings.md)" })
  @ApiOperation({ summary: 'Open data: the Dutch register\'s format (Publicatiestandaard v1.0.0)' })
  async exportNl(@Req() request: Request): Promise<NlExport> {
    return toNlExport(await this.tools.export(), originOf(request));
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One row per public tool, stable column names, UTF-8 (docs/open-data.md)' })
  @ApiOperation({ summary: 'Open data: all public tools as CSV' })
  async exportCsv(@Res() response: Response): Promise<void> {
    const csv = toCsv(await this.tools.export());
    response
      .status(HttpStatus.OK)
      .set({ 'Cache-Control': EXPORT_CACHE, 'Content-Disposition': 'attachment; filename="custodia-tools.csv"' })
      .type('text/csv; charset=utf-8')
      .send(csv);
  }

  @Get('export.authorisations.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'AI Act Art. 5(6): per country and year, authorisations requested, granted, refused and revoked (docs/open-data.md)' })
  @ApiOperation({ summary: 'Open data: the annual authorisation figures as CSV' })
  async exportAuthorisations(@Res() response: Response): Promise<void> {
    const csv = authorisationFiguresCsv((await this.tools.stats()).authorisationsByCountryAndYear);
    response
      .status(HttpStatus.OK)
      .set({ 'Cache-Control': EXPORT_CACHE, 'Content-Disposition': 'attachment; filename="custodia-authorisations.csv"' })
      .type('text/csv; charset=utf-8')
      .send(csv);
  }
}

function notFound(): never {
  throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'There is no published tool with that id.');
}
