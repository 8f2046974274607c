import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../apps/registry/src/config/app-config.js';
import { encodeEntry, type LogEntryInput } from '../../apps/registry/src/log/log-entry.js';
import { LogWriter } from '../../apps/registry/src/log/log-writer.service.js';
import { runService } from '../../apps/registry/src/service.js';

/**
 * Benchmark only, never shipped: the service with the audit log's append replaced by a plain
 * insert of the same entry bytes into an ordinary table (`bench_plain_log`, created by the
 * harness), in the same transaction. Nothing is queued, so the integrator has nothing to do.
 * It is the baseline that audited writes are measured against (bench/README.md).
 */
LogWriter.prototype.append = async function plainAppend(this: LogWriter, manager: EntityManager, input: LogEntryInput): Promise<string> {
  const config = (this as unknown as { config: AppConfig }).config;
  const bytes = encodeEntry(input, config.logOrigin, new Date());
  const rows: Array<{ id: string }> = await manager.query(
    'INSERT INTO bench_plain_log (entry, subject_type, subject_id, public) VALUES ($1, $2, $3, $4) RETURNING id',
    [bytes, input.subject.type, input.subject.id, input.public === true],
  );
  return String(rows[0]!.id);
};

await runService(process.env);
