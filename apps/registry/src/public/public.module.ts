import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PreparedReads } from '../database/prepared-reads.js';
import { DeclarationsModule } from '../declarations/declarations.module.js';
import { LogModule } from '../log/log.module.js';
import { PublicApiController } from './api/public-api.controller.js';
import { PortalController } from './portal/portal.controller.js';
import { PortalRenderer } from './portal/portal-renderer.js';
import { PublicCache } from './public-cache.js';
import { PublicToolsService } from './public-tools.service.js';

/** The public view: the projection API, the open-data exports and the portal pages. */
@Module({
  imports: [LogModule, DeclarationsModule],
  controllers: [PublicApiController, PortalController],
  providers: [PublicToolsService, PortalRenderer, PublicCache, PreparedReads],
  exports: [PublicToolsService, PortalRenderer],
})
export class PublicModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PublicCache).forRoutes(PublicApiController, PortalController);
  }
}
