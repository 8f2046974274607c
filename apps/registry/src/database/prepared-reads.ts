import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DATABASE_SETTINGS, type DatabaseSettings } from './database.module.js';

/** Texts kept prepared, at most (each on every pool connection it ran on); past them, unnamed. */
const MAX_STATEMENTS = 256;

/** The part of node-postgres's client a named statement needs. */
interface NamingClient {
  query<T>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Reads repeated with the same text (the public list's few shapes, their values as parameters)
 * sent as statements prepared on their connection, named after their text: PostgreSQL parses
 * each once a connection and, once it has seen a few, may keep one plan for it, where an unnamed
 * statement is parsed and planned on every page (a third of the database's time for a list page
 * at 100,000 tools, bench/RESULTS.md). On the embedded database they go unnamed: its one session
 * outlives its connections, so a name prepared before a reconnection would collide after it.
 */
@Injectable()
export class PreparedReads {
  private readonly names = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  /** The rows of `sql`, on a connection of the pool, or on the transaction of `manager`. */
  async query<T>(sql: string, params: unknown[], manager?: EntityManager): Promise<T[]> {
    const name = this.nameOf(sql);
    if (!name) return (manager ?? this.dataSource).query<T[]>(sql, params);
    const runner = manager?.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as NamingClient;
      return (await client.query<T>({ name, text: sql, values: params })).rows;
    } finally {
      if (!manager) await runner.release();
    }
  }

  private nameOf(sql: string): string | undefined {
    if (this.settings.embedded) return undefined;
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_STATEMENTS) this.names.set(sql, (name = `custodia_read_${this.names.size + 1}`));
    return name;
  }
}
