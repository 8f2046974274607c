import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';
import { migrate } from './migrate.js';

export interface DatabaseSettings {
  url: string;
  /** The embedded PGlite server: one session only. */
  embedded: boolean;
}

/** Injection token for the DatabaseSettings the app was started with. */
export const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [{ provide: DATABASE_SETTINGS, useValue: settings }],
      exports: [DATABASE_SETTINGS],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(settings.url, settings),
          // Migrations are applied before any other part of the app can use the database.
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await migrate(dataSource, settings);
            return dataSource;
          },
        }),
      ],
    };
  }
}
