import type { DataSourceOptions } from 'typeorm';
import { Foundation1763790000000 } from '../../../../migrations/1763790000000-Foundation.js';
import { AuditLog1763900000000 } from '../../../../migrations/1763900000000-AuditLog.js';
import { Tools1764000000000 } from '../../../../migrations/1764000000000-Tools.js';
import { PublicView1764100000000 } from '../../../../migrations/1764100000000-PublicView.js';
import { PublicSearch1764200000000 } from '../../../../migrations/1764200000000-PublicSearch.js';
import { TileInterior1764300000000 } from '../../../../migrations/1764300000000-TileInterior.js';
import { Witnesses1764400000000 } from '../../../../migrations/1764400000000-Witnesses.js';
import { PublicReports1764500000000 } from '../../../../migrations/1764500000000-PublicReports.js';
import { LegalLinks1764600000000 } from '../../../../migrations/1764600000000-LegalLinks.js';
import { Incidents1764700000000 } from '../../../../migrations/1764700000000-Incidents.js';
import { ConsoleSessions1764800000000 } from '../../../../migrations/1764800000000-ConsoleSessions.js';
import { FullTextSearch1764900000000 } from '../../../../migrations/1764900000000-FullTextSearch.js';
import { PublicSearchInline1765000000000 } from '../../../../migrations/1765000000000-PublicSearchInline.js';
import { PublicSearchCells1765100000000 } from '../../../../migrations/1765100000000-PublicSearchCells.js';
import { Agency } from '../agencies/agency.entity.js';

// Listed explicitly rather than globbed: globs silently find nothing once the code is bundled.
export const ENTITIES = [Agency];
export const MIGRATIONS = [Foundation1763790000000, AuditLog1763900000000, Tools1764000000000, PublicView1764100000000, PublicSearch1764200000000, TileInterior1764300000000, Witnesses1764400000000, PublicReports1764500000000, LegalLinks1764600000000, Incidents1764700000000, ConsoleSessions1764800000000, FullTextSearch1764900000000, PublicSearchInline1765000000000, PublicSearchCells1765100000000];

export function dataSourceOptions(url: string, options: { embedded: boolean }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    // The embedded server serves a single session: a pool of one.
    extra: {
      ...(options.embedded ? { max: 1 } : { max: 10, idleTimeoutMillis: 30_000 }),
      connectionTimeoutMillis: 10_000,
      // pg-pool drops its error listener from a client it hands out before TypeORM adds its own:
      // a connection killed in that gap (a database restart) would crash the process with an
      // unhandled 'error' event. This listener stays; the failed query still fails, with a 503.
      onConnect: (client: { on(event: 'error', listener: () => void): unknown }) => {
        client.on('error', () => undefined);
      },
    },
  };
}
