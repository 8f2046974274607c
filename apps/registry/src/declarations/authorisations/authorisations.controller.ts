import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { uuidParam } from '../../http/uuid.pipe.js';
import { AuthorisationView, CreateAuthorisationDto, RevokeAuthorisationDto } from './authorisation.dto.js';
import { AuthorisationsService } from './authorisations.service.js';

@ApiTags('authorisations')
@ApiBearerAuth()
@Controller('api/v1')
export class AuthorisationsController {
  constructor(private readonly authorisations: AuthorisationsService) {}

  @Post('tools/:id/authorisations')
  @HttpCode(201)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: AuthorisationView })
  @ApiOperation({ summary: 'Record a judicial or independent administrative authorisation (AI Act Art. 5(2)–(7))' })
  async create(@Param('id', uuidParam()) id: string, @Body() dto: CreateAuthorisationDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<AuthorisationView> {
    const { value, logEntry } = await this.authorisations.create(id, dto, actor);
    res.setHeader('X-Log-Entry', logEntry);
    return value;
  }

  @Get('tools/:id/authorisations')
  @Roles('agency_editor', 'agency_approver', 'oversight')
  @ApiOkResponse({ type: [AuthorisationView] })
  list(@Param('id', uuidParam()) id: string, @CurrentUser() user: Actor): Promise<AuthorisationView[]> {
    return this.authorisations.list(id, user);
  }

  @Post('authorisations/:aid/revoke')
  @HttpCode(200)
  @Roles('agency_editor', 'agency_approver')
  @ApiOkResponse({ type: AuthorisationView })
  async revoke(@Param('aid', uuidParam('aid')) aid: string, @Body() dto: RevokeAuthorisationDto, @CurrentUser() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<AuthorisationView> {
    const { value, logEntry } = await this.authorisations.revoke(aid, dto.reason, actor);
    res.setHeader('X-Log-Entry', logEntry);
    return value;
  }
}
