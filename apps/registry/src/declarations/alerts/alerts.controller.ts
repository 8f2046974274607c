import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator.js';
import { AlertsService, AlertsView } from './alerts.service.js';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('api/v1/oversight')
export class AlertsController {
  constructor(private readonly alertsService: AlertsService) {}

  @Get('alerts')
  @Roles('oversight')
  @ApiOkResponse({ type: AlertsView })
  @ApiOperation({ summary: 'What needs the oversight body now: unauthorised use, expired and expiring authorisations (30 days), missing FRIAs, failed disparities, open findings by age' })
  alerts(): Promise<AlertsView> {
    return this.alertsService.alerts();
  }
}
