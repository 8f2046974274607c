import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { uuidParam } from '../http/uuid.pipe.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyPage, AgencyView } from './dto/agency.view.js';
import { CreateAgencyDto, UpdateAgencyDto } from './dto/create-agency.dto.js';
import { ListAgenciesQuery } from './dto/list-agencies.query.js';

@ApiTags('agencies')
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: AgencyPage })
  list(@Query() query: ListAgenciesQuery): Promise<AgencyPage> {
    return this.agencies.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: AgencyView })
  get(@Param('id', uuidParam()) id: string): Promise<AgencyView> {
    return this.agencies.get(id);
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: AgencyView, headers: { 'X-Log-Entry': { description: 'Audit log queue id' } } })
  async create(
    @Body() dto: CreateAgencyDto,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgencyView> {
    const { value, logEntry } = await this.agencies.create(dto, actor);
    response.setHeader('X-Log-Entry', logEntry).location(`/api/v1/agencies/${value.id}`);
    return value;
  }

  @Put(':id')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Rename an agency or correct its kind (the country stays: its tools\' references carry it)' })
  @ApiOkResponse({ type: AgencyView, headers: { 'X-Log-Entry': { description: 'Audit log queue id' } } })
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdateAgencyDto,
    @CurrentUser() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgencyView> {
    const { value, logEntry } = await this.agencies.update(id, dto, actor);
    response.setHeader('X-Log-Entry', logEntry);
    return value;
  }
}
