import { Module } from '@nestjs/common';
import { DeclarationValidator } from './schema/declaration-validator.js';
import { SchemaController } from './schema/schema.controller.js';
import { ToolsController } from './tools/tools.controller.js';
import { ToolsService } from './tools/tools.service.js';

@Module({
  controllers: [SchemaController, ToolsController],
  providers: [{ provide: DeclarationValidator, useFactory: () => new DeclarationValidator() }, ToolsService],
  exports: [DeclarationValidator],
})
export class DeclarationsModule {}
