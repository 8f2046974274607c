import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { encodeEntry, type LogEntryInput } from './log-entry.js';

/** The result of a write and the log entry that records it (sent as `X-Log-Entry`). */
export interface Logged<T> {
  value: T;
  logEntry: string;
}

/**
 * Appends entries to the audit log's queue inside the caller's transaction, so that a change and
 * its entry commit together or not at all. Sequencing into the Merkle tree happens afterwards.
 */
@Injectable()
export class LogWriter {
  constructor(private readonly config: AppConfig) {}

  /** Returns the queue id of the entry, which the author can use to find it once integrated. */
  async append(manager: EntityManager, input: LogEntryInput): Promise<string> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('LogWriter.append must run inside the transaction that makes the change');
    }
    const bytes = encodeEntry(input, this.config.logOrigin, new Date());
    const rows: Array<{ id: string }> = await manager.query(
      'INSERT INTO log_queue (entry, subject_type, subject_id) VALUES ($1, $2, $3) RETURNING id',
      [bytes, input.subject.type, input.subject.id],
    );
    return String(rows[0].id);
  }
}
