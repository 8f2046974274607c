import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator.js';
import { ProblemException } from '../http/problem.js';
import { Integrator } from '../log/integrator.service.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrator: Integrator,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready to serve: the database answers, every migration is applied and the log is being integrated. */
  @Get('ready')
  async ready() {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2000 }),
        () => this.migrationsApplied(),
        () => this.integratorAlive(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const checks = (error.getResponse() as { details?: unknown }).details;
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'not-ready', 'The service is not ready.', {
        checks,
      });
    }
  }

  private async integratorAlive() {
    const check = this.indicators.check('logIntegrator');
    try {
      const { alive, ...details } = await this.integrator.liveness();
      return alive ? check.up(details) : check.down(details);
    } catch {
      return check.down({ message: 'cannot read the log state' });
    }
  }

  private async migrationsApplied() {
    const check = this.indicators.check('migrations');
    try {
      const pending = await this.dataSource.showMigrations();
      return pending ? check.down({ message: 'migrations are pending' }) : check.up();
    } catch {
      return check.down({ message: 'cannot read the migrations table' });
    }
  }
}
