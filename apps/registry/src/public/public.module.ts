import { Module } from '@nestjs/common';
import { PublicApiController } from './api/public-api.controller.js';
import { PublicToolsService } from './public-tools.service.js';

/** The public view: the projection API, the open-data exports and the portal pages. */
@Module({
  controllers: [PublicApiController],
  providers: [PublicToolsService],
  exports: [PublicToolsService],
})
export class PublicModule {}
