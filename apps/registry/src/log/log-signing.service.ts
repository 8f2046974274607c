import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { LogWriter, SYSTEM_ACTOR } from './log-writer.service.js';
import { type LogSigningKey, loadSigningKey } from './signing-key.js';

/** Serialises the first registration of the log key when several instances start together. */
const KEY_REGISTRATION_LOCK = '7166761325952264546';

/**
 * The checkpoint signing key. On first start its verifier key is registered in `log_keys`,
 * itself through a log entry; an instance whose key is not the registered one refuses to start,
 * so that no two instances ever sign the same log with different keys.
 */
@Injectable()
export class LogSigning implements OnModuleInit {
  private loaded?: LogSigningKey;

  constructor(
    private readonly config: AppConfig,
    private readonly writer: LogWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  get key(): LogSigningKey {
    if (!this.loaded) throw new Error('the log signing key is not loaded yet');
    return this.loaded;
  }

  async onModuleInit(): Promise<void> {
    const key = loadSigningKey(this.config);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [KEY_REGISTRATION_LOCK]);
      const [registered] = await manager.query<Array<{ verifier_key: string }>>(
        'SELECT verifier_key FROM log_keys ORDER BY added_at DESC LIMIT 1',
      );
      if (registered && registered.verifier_key !== key.verifierKey) {
        throw new Error(
          `This instance's log signing key (${key.verifierKey}) is not the log's key (${registered.verifier_key}). ` +
            'Every instance must use the same LOG_SIGNING_KEY (or, in development, the same DATA_DIR).',
        );
      }
      if (registered) return;
      const id = randomUUID();
      await manager.query('INSERT INTO log_keys (id, verifier_key) VALUES ($1, $2)', [id, key.verifierKey]);
      const content = { verifierKey: key.verifierKey };
      await this.writer.append(manager, {
        actor: SYSTEM_ACTOR,
        action: 'log.key.register',
        subject: { type: 'log_key', id },
        content,
        publicContent: content,
        public: true,
        requestId: `startup-${id}`,
      });
    });
    this.loaded = key;
  }
}
