import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, TransactionCommitEvent } from 'typeorm';
import { LogSignals } from './log-signals.js';
import { APPENDED } from './log-writer.service.js';

/** Wakes the integrator as soon as a transaction that queued a log entry has committed. */
@Injectable()
export class WakeOnCommit implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signals: LogSignals,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push({
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        if (!event.queryRunner.data[APPENDED]) return;
        event.queryRunner.data[APPENDED] = false;
        this.signals.queued();
      },
    });
  }
}
