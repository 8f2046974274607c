import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator.js';
import { ASSESSMENT_SCHEMAS } from '../assessments/assessment.schemas.js';
import { INCIDENT_SCHEMA } from '../incidents/incident.schema.js';
import { DECLARATION_SCHEMA } from './declaration.schema.js';

@ApiTags('schema')
@Controller('api/v1/schema')
export class SchemaController {
  @Get()
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({ description: 'JSON Schema 2020-12; every property carries x-visibility' })
  @ApiOperation({ summary: 'The versioned JSON Schema of a tool declaration, with the visibility of every field' })
  schema(): typeof DECLARATION_SCHEMA {
    return DECLARATION_SCHEMA;
  }

  @Get('assessments')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({ description: 'One JSON Schema 2020-12 per assessment kind; every property carries x-visibility' })
  @ApiOperation({ summary: 'The JSON Schemas of the assessments: fria, bias, gender_impact, huderia, dpia' })
  assessments(): typeof ASSESSMENT_SCHEMAS {
    return ASSESSMENT_SCHEMAS;
  }

  @Get('incident')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({ description: 'JSON Schema 2020-12 of a serious incident; every property carries x-visibility' })
  @ApiOperation({ summary: 'The JSON Schema of a serious-incident record (AI Act Art. 73)' })
  incident(): typeof INCIDENT_SCHEMA {
    return INCIDENT_SCHEMA;
  }
}
