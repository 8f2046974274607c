import { Module } from '@nestjs/common';
import { ASSESSMENT_SCHEMAS } from './assessments/assessment.schemas.js';
import { AUTHORISATION_SCHEMA } from './authorisations/authorisation.schema.js';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { AuthorisationsController } from './authorisations/authorisations.controller.js';
import { AuthorisationsService } from './authorisations/authorisations.service.js';
import { AlertsController } from './alerts/alerts.controller.js';
import { AlertsService } from './alerts/alerts.service.js';
import { FindingsController } from './findings/findings.controller.js';
import { FindingsService } from './findings/findings.service.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { INCIDENT_SCHEMA } from './incidents/incident.schema.js';
import { LegalLinksService } from './legal-links/legal-links.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { DeclarationValidator } from './schema/declaration-validator.js';
import { SchemaController } from './schema/schema.controller.js';
import { ToolsController } from './tools/tools.controller.js';
import { ToolsService } from './tools/tools.service.js';

@Module({
  controllers: [SchemaController, ToolsController, AssessmentsController, AuthorisationsController, FindingsController, AlertsController, ReportsController, IncidentsController],
  providers: [{
      provide: DeclarationValidator,
      useFactory: () => new DeclarationValidator().prepare(AUTHORISATION_SCHEMA, INCIDENT_SCHEMA, ...Object.values(ASSESSMENT_SCHEMAS)),
    }, ToolsService, AssessmentsService, AuthorisationsService, FindingsService, AlertsService, ReportsService, LegalLinksService, IncidentsService],
  exports: [DeclarationValidator, ToolsService, AssessmentsService, AuthorisationsService, FindingsService, ReportsService, LegalLinksService, AlertsService, IncidentsService],
})
export class DeclarationsModule {}
