import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';

// The same options as the service, for the TypeORM CLI:
//   DATABASE_URL=... npx typeorm migration:show -d dist/apps/registry/src/database/cli-data-source.js
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default new DataSource(dataSourceOptions(url, { embedded: false }));
