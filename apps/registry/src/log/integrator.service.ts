import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DATABASE_SETTINGS, type DatabaseSettings } from '../database/database.module.js';
import { type IntegratorMemory, integrateBatch, LogIntegrityError, type Sql } from './integration.js';
import { LogSignals } from './log-signals.js';
import { LogSigning } from './log-signing.service.js';
import { LogStore } from './log-store.js';

/** Session advisory lock held by the one integrator of a database (any 64-bit constant). */
export const INTEGRATOR_LOCK = '7166761325952264545'; // 0x637573746f646961, "custodia"
export const NOTIFY_CHANNEL = 'custodia_log';
const POLL_MS = 250;
/**
 * Woken by a commit, the integrator still lets this long pass after a batch, so that the entries
 * of a burst of writes share one batch (one checkpoint signature, one root) instead of each
 * paying for its own. Measured by bench:log; far below the 250 ms promised.
 */
const MIN_BATCH_GAP_MS = 25;
const STANDBY_RETRY_MS = 1000;
const ERROR_RETRY_MS = 1000;
const STALE_AFTER_MS = 30_000;

export type IntegratorRole = 'off' | 'starting' | 'leader' | 'standby' | 'failing';

export interface IntegratorStatus {
  role: IntegratorRole;
  treeSize?: number;
  lastError?: string;
}

/** A database session that can run one integration transaction. */
interface Session {
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

/**
 * Sequences the audit log. On PostgreSQL every instance runs for election: the one holding the
 * session advisory lock integrates, on its own connection (if that connection dies, so does the
 * lock and any open batch), and the others retry every second to take over. On the embedded
 * database there is one process and one session: it integrates in-process.
 *
 * Woken in-process when a transaction that appended an entry commits, by NOTIFY when another
 * instance queued one, and otherwise every 250 ms.
 */
@Injectable()
export class Integrator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Integrator');
  private status: IntegratorStatus = { role: 'off' };
  private stopping = false;
  private running?: Promise<void>;
  private sleeper?: { wake: () => void };
  /** Woken while a batch ran: the next sleep returns at once. */
  private woken = false;
  private client?: pg.Client;

  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE_SETTINGS) private readonly database: DatabaseSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signing: LogSigning,
    private readonly signals: LogSignals,
    private readonly store: LogStore,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.logIntegrator) return;
    this.signals.onQueued(() => this.wake());
    this.status = { role: 'starting' };
    this.running = this.database.embedded ? this.runInProcess() : this.runElected();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  /**
   * For readiness (CONTRACT.md: "log integrator alive somewhere"): on the embedded database this
   * process is the integrator; on PostgreSQL some instance must hold the integrator's lock. In
   * both, no committed entry may have waited longer than STALE_AFTER_MS.
   */
  async liveness(): Promise<{ alive: boolean; message?: string; role: IntegratorRole }> {
    const role = this.status.role;
    if (this.database.embedded && role !== 'leader') {
      return { alive: false, role, message: this.status.lastError ?? 'the integrator is not running in this process' };
    }
    if (!this.database.embedded) {
      const [{ held }] = await this.dataSource.query<Array<{ held: boolean }>>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND classid::bigint = ($1::bigint >> 32) AND objid::bigint = ($1::bigint & 4294967295)) AS held`,
        [INTEGRATOR_LOCK],
      );
      if (!held) return { alive: false, role, message: 'no instance holds the integrator lock' };
    }
    const [{ waited }] = await this.dataSource.query<Array<{ waited: number | null }>>(
      `SELECT extract(epoch FROM now() - min(q.queued_at)) * 1000 AS waited FROM log_queue q
        WHERE q.xid >= (SELECT queue_horizon FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1)
          -- Bounded above (by nothing the snapshot could see beyond) so that, on tables never
          -- analysed, the planner counts a few rows, not a third of the queue: at 2,000,000
          -- entries readiness took 1.0-1.4 s in parallel workers, past a default probe timeout,
          -- and takes 50-60 ms.
          AND q.xid < pg_snapshot_xmax(pg_current_snapshot())
          -- A probe of log_entries per row, not a hash of all of it (integration.ts, batchSql).
          AND NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.queue_id = q.id OFFSET 0)`,
    );
    if (waited !== null && Number(waited) > STALE_AFTER_MS) {
      return { alive: false, role, message: `an entry has waited ${Math.round(Number(waited) / 1000)} s to be integrated` };
    }
    return { alive: true, role };
  }

  /** Whether this process integrates the log now (and so asks the witnesses). */
  get leading(): boolean {
    return this.status.role === 'leader';
  }

  wake(): void {
    if (this.sleeper) this.sleeper.wake();
    else this.woken = true;
  }

  private async runInProcess(): Promise<void> {
    const session: Session = {
      transaction: (work) => this.dataSource.transaction('REPEATABLE READ', (manager) => work(manager)),
    };
    while (!this.stopping) {
      await this.lead(session);
      if (!this.stopping) await this.sleep(ERROR_RETRY_MS);
    }
  }

  private async runElected(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.campaign();
      } catch (error) {
        if (!this.stopping) this.fail(error);
      }
      this.signals.leaderHere = false;
      await this.client?.end().catch(() => undefined);
      this.client = undefined;
      if (!this.stopping) await this.sleep(ERROR_RETRY_MS);
    }
  }

  /** Connects, waits to win the lock, then integrates until the connection or the app ends. */
  private async campaign(): Promise<void> {
    const client = new pg.Client({ connectionString: this.database.url, application_name: 'custodia-integrator' });
    client.on('error', (error) => this.logger.warn(`integrator connection lost: ${error.message}`));
    client.on('notification', () => this.wake());
    this.client = client;
    await client.connect();
    while (!this.stopping) {
      const [{ locked }] = (await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [INTEGRATOR_LOCK])).rows;
      if (locked) break;
      this.status = { role: 'standby' };
      await this.sleep(STANDBY_RETRY_MS);
    }
    if (this.stopping) return;
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    this.logger.log('this instance is now the log integrator');
    this.signals.leaderHere = true;
    await this.lead({
      transaction: async (work) => {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        try {
          const result = await work({ query: async (text, params) => (await client.query(text, params)).rows });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
    });
  }

  /** Integrates batch after batch until stopped or a batch fails (the caller retries). */
  private async lead(session: Session): Promise<void> {
    let memory: IntegratorMemory = {};
    this.status = { role: 'leader', treeSize: this.status.treeSize };
    try {
      while (!this.stopping) {
        const result = await session.transaction(async (sql) => {
          const batch = await integrateBatch(sql, this.signing.key.signer, memory);
          if (batch.integrated > 0) failpoint('integrator-before-commit');
          return batch;
        });
        memory = result.memory;
        // Committed: the tiles it filled are the log's for good, and the newest entries are
        // those whose proofs are asked for first (the portal's verify panel, verifiers' catch-up).
        this.store.keepProofTiles(result.fullTiles);
        this.status = { role: 'leader', treeSize: result.treeSize };
        if (result.integrated > 0) this.signals.integrated(result.treeSize);
        if (result.more) continue;
        const idleSince = Date.now();
        await this.sleep(POLL_MS);
        const gap = MIN_BATCH_GAP_MS - (Date.now() - idleSince);
        if (gap > 0 && !this.stopping) await new Promise((resolve) => setTimeout(resolve, gap));
      }
    } catch (error) {
      if (!this.stopping) this.fail(error);
      if (this.database.embedded || error instanceof LogIntegrityError) return;
      throw error;
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.status = { role: 'failing', lastError: message };
    if (error instanceof LogIntegrityError) this.logger.error(message);
    else this.logger.warn(`integration failed, retrying: ${message}`);
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = { wake: done };
    });
  }
}

/**
 * Fault injection for the crash tests (test/log-crash.e2e-spec.ts): with
 * CUSTODIA_FAILPOINT=integrator-before-commit the process dies, as if killed, after writing a
 * batch and before committing it.
 */
function failpoint(name: string): void {
  if (process.env.CUSTODIA_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
