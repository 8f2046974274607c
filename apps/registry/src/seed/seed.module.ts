import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { DeclarationsModule } from '../declarations/declarations.module.js';
import { DemoSeeder } from './demo-seeder.js';

@Module({
  imports: [AgenciesModule, DeclarationsModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class SeedModule {}
