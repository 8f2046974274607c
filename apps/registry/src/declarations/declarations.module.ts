import { Module } from '@nestjs/common';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { DeclarationValidator } from './schema/declaration-validator.js';
import { SchemaController } from './schema/schema.controller.js';
import { ToolsController } from './tools/tools.controller.js';
import { ToolsService } from './tools/tools.service.js';

@Module({
  controllers: [SchemaController, ToolsController, AssessmentsController],
  providers: [{ provide: DeclarationValidator, useFactory: () => new DeclarationValidator() }, ToolsService, AssessmentsService],
  exports: [DeclarationValidator],
})
export class DeclarationsModule {}
