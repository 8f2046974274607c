import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DATABASE_SETTINGS, type DatabaseSettings } from '../database/database.module.js';
import { encodeEntry, type LogActor, type LogEntryInput } from './log-entry.js';
import { LogSignals } from './log-signals.js';

/** The result of a write and the log entry that records it (sent as `X-Log-Entry`). */
export interface Logged<T> {
  value: T;
  logEntry: string;
}

/** The service itself, as the actor of what it does on its own (registering its log key). */
export const SYSTEM_ACTOR: LogActor = { id: 'custodia', roles: [] };

/** Marks a TypeORM transaction that queued an entry, so its commit wakes the integrator. */
export const APPENDED = 'custodiaLogAppended';

/**
 * Appends entries to the audit log's queue inside the caller's transaction, so that a change and
 * its entry commit together or not at all. The integrator gives them their index afterwards.
 */
@Injectable()
export class LogWriter {
  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE_SETTINGS) private readonly database: DatabaseSettings,
    private readonly signals: LogSignals,
  ) {}

  /** Returns the queue id of the entry, which the author can use to find it once integrated. */
  async append(manager: EntityManager, input: LogEntryInput): Promise<string> {
    const queryRunner = manager.queryRunner;
    if (!queryRunner?.isTransactionActive) {
      throw new Error('LogWriter.append must run inside the transaction that makes the change');
    }
    const bytes = encodeEntry(input, this.config.logOrigin, new Date());
    const rows: Array<{ id: string }> = await manager.query(
      'INSERT INTO log_queue (entry, subject_type, subject_id, public) VALUES ($1, $2, $3, $4) RETURNING id',
      [bytes, input.subject.type, input.subject.id, input.public === true],
    );
    queryRunner.data[APPENDED] = true;
    // Another instance integrates: tell it at commit (NOTIFY is delivered only then).
    if (!this.database.embedded && !this.signals.leaderHere) await manager.query(`NOTIFY custodia_log`);
    return String(rows[0].id);
  }
}
