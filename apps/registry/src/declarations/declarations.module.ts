import { Module } from '@nestjs/common';
import { DeclarationValidator } from './schema/declaration-validator.js';
import { SchemaController } from './schema/schema.controller.js';

@Module({
  controllers: [SchemaController],
  providers: [{ provide: DeclarationValidator, useFactory: () => new DeclarationValidator() }],
  exports: [DeclarationValidator],
})
export class DeclarationsModule {}
