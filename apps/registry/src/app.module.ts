import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import { DatabaseModule, type DatabaseSettings } from './database/database.module.js';
import { DeclarationsModule } from './declarations/declarations.module.js';
import { HealthModule } from './health/health.module.js';
import { ProblemFilter } from './http/problem.filter.js';
import { requestLogging } from './http/request-logging.js';
import { AppValidationPipe } from './http/validation.pipe.js';
import { LogModule } from './log/log.module.js';
import { PublicModule } from './public/public.module.js';
import { SeedModule } from './seed/seed.module.js';

export interface AppSettings {
  config: AppConfig;
  database: DatabaseSettings;
}

@Module({})
export class AppModule {
  static forRoot({ config, database }: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(requestLogging(config)),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot(database),
        LogModule,
        AuthModule,
        HealthModule,
        AgenciesModule,
        DeclarationsModule,
        PublicModule,
        ConsoleModule.forRoot(config),
        SeedModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: AppValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
