import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator.js';
import { ProblemException } from '../http/problem.js';
import { Integrator } from '../log/integrator.service.js';
import { WitnessCollector } from '../log/witness-collector.service.js';

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
    private readonly witnesses: WitnessCollector,
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
        () => this.witnessStatus(),
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

  /**
   * Which witnesses are behind, by how much and since when. Reported, never a reason to be not
   * ready: a witness that is down must not take the registry down with it.
   */
  private async witnessStatus() {
    const check = this.indicators.check('witnesses');
    try {
      const witnesses = await this.witnesses.status();
      return check.up({ witnesses: witnesses.map(({ name, cosignedSize, behindBy, behindSince, lastStatus, lastError }) => ({ name, cosignedSize, behindBy, behindSince, lastStatus, lastError })) });
    } catch {
      return check.up({ message: 'cannot read the witnesses\' state' });
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
