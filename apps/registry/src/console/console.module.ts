import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfig } from '../config/app-config.js';
import { DeclarationsModule } from '../declarations/declarations.module.js';
import { LogModule } from '../log/log.module.js';
import { PublicModule } from '../public/public.module.js';
import { ConsolePrincipalMiddleware, ConsoleSessionMiddleware } from './console-auth.js';
import { ConsoleFindingsController } from './console-findings.controller.js';
import { ConsoleHomeController } from './console-home.controller.js';
import { ConsoleOversightController } from './console-oversight.controller.js';
import { ConsolePages } from './console-pages.js';
import { ConsoleRecordsController } from './console-records.controller.js';
import { ConsoleSessions } from './console-session.js';
import { ConsoleToolPage } from './console-tool-page.js';
import { ConsoleToolsController } from './console-tools.controller.js';
import { DevSignInController } from './dev-sign-in.controller.js';
import { OidcSignIn } from './oidc-sign-in.js';
import { OidcSignInController } from './oidc-sign-in.controller.js';

const CONTROLLERS = [ConsoleHomeController, ConsoleToolsController, ConsoleFindingsController, ConsoleRecordsController, ConsoleOversightController];

/**
 * The console (docs/console.md): pages for agency staff, approvers, the oversight body and
 * administrators, over the same services, guards and rules as the API.
 */
@Module({})
export class ConsoleModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [AgenciesModule, AuthModule, DeclarationsModule, LogModule, PublicModule],
      controllers: controllersFor(config),
      providers: [ConsolePages, ConsoleToolPage, ConsoleSessions, OidcSignIn],
    };
  }

  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleSessionMiddleware, ConsolePrincipalMiddleware).forRoutes(...controllersFor(this.config));
  }
}

// The development sign-in exists only while the development issuer is on; the provider's sign-in
// only with an external issuer and the console's client id (and, first, so that /console/oidc/…
// is not taken for a language).
function controllersFor(config: AppConfig) {
  return [
    ...(config.auth.mode === 'oidc' && config.console.clientId ? [OidcSignInController] : []),
    ...CONTROLLERS,
    ...(config.auth.mode === 'development' ? [DevSignInController] : []),
  ];
}
