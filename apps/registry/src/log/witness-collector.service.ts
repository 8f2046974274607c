import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Cosignature, encodeBase64, type NoteVerifier, parseCosignatureLines, parseCosignerKey, parseNote, verifyCosignature } from '@custodia/tlog';
import type { DataSource } from 'typeorm';
import { AppConfig, type WitnessSetting } from '../config/app-config.js';
import { Integrator } from './integrator.service.js';
import { LogSignals } from './log-signals.js';
import { LogStore, type SignedCheckpoint } from './log-store.js';

// A witness that is down is asked again this often; one that answers is asked at every checkpoint.
const RETRY_MS = 5000;
const TIMEOUT_MS = 5000;

type Witness = WitnessSetting & { verifier: NoteVerifier };

export interface WitnessStatus {
  name: string;
  verifierKey: string;
  url: string;
  /** The largest tree it has cosigned for this log, as far as the registry knows (null: none yet). */
  cosignedSize: number | null;
  /** Entries the log has that it has not cosigned. */
  behindBy: number;
  /** Since when the log has had a checkpoint it has not cosigned (null when it is up to date). */
  behindSince: string | null;
  lastStatus: 'cosigned' | 'refused' | 'unreachable' | null;
  lastError: string | null;
  attemptedAt: string | null;
}

/** How one attempt went, as log_witnesses.last_status records it. */
type Outcome = 'cosigned' | 'refused' | 'unreachable';

/**
 * Sends every new checkpoint to the configured witnesses with a consistency proof from the size
 * each last cosigned (C2SP tlog-witness add-checkpoint), and keeps the cosignatures they return,
 * which /log/checkpoint then serves as extra signature lines. It runs beside the log, never in
 * its way: writes and integration go on whatever a witness does, and a witness that is down or
 * refuses is recorded (log_witnesses), for readiness and the oversight alerts to say so.
 *
 * Only the instance that integrates asks, once per witness at a time.
 */
@Injectable()
export class WitnessCollector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Witnesses');
  readonly witnesses: Witness[];
  private readonly asking = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: LogStore,
    private readonly signals: LogSignals,
    private readonly integrator: Integrator,
  ) {
    this.witnesses = config.witnesses.map((w) => ({ ...w, verifier: parseCosignerKey(w.verifierKey) }));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.witnesses.length === 0) return;
    for (const w of this.witnesses) {
      await this.dataSource.query(
        'INSERT INTO log_witnesses (witness, url) VALUES ($1, $2) ON CONFLICT (witness) DO UPDATE SET url = EXCLUDED.url',
        [w.verifierKey, w.url],
      );
    }
    this.signals.onIntegrated(() => void this.collect());
    this.timer = setInterval(() => void this.collect(), RETRY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.asking.values());
  }

  /** Asks every witness that has not cosigned the latest checkpoint; resolves when all answered. */
  async collect(): Promise<void> {
    if (!this.integrator.leading) return;
    let latest: SignedCheckpoint;
    try {
      latest = await this.store.checkpoint();
    } catch {
      return; // no checkpoint yet
    }
    await Promise.all(this.witnesses.map((w) => this.askOnce(w, latest)));
  }

  private askOnce(w: Witness, latest: SignedCheckpoint): Promise<void> {
    // One request at a time per witness; one under way may be for an older checkpoint, so this
    // one is asked after it (and finds nothing to do if that one already got it cosigned).
    const running = this.asking.get(w.verifierKey);
    if (running) return running.then(() => this.askOnce(w, latest));
    const asked = this.ask(w, latest)
      .catch((error: unknown) => this.record(w, 'unreachable', `${(error as Error).message}`))
      .finally(() => this.asking.delete(w.verifierKey));
    this.asking.set(w.verifierKey, asked);
    return asked;
  }

  private async ask(w: Witness, latest: SignedCheckpoint): Promise<void> {
    const [state] = await this.dataSource.query<Array<{ cosigned_size: string | null; have: boolean }>>(
      `SELECT w.cosigned_size, EXISTS (SELECT 1 FROM log_cosignatures c WHERE c.witness = w.witness AND c.tree_size = $2) AS have
         FROM log_witnesses w WHERE w.witness = $1`,
      [w.verifierKey, latest.size],
    );
    if (state?.have) return;
    let old = Number(state?.cosigned_size ?? 0);
    // At most twice: a 409 tells the size the witness holds (after a restart of either side).
    for (let attempt = 0; attempt < 2; attempt++) {
      if (old > latest.size) {
        return this.record(w, 'refused', `the witness has cosigned ${old} entries, more than the log's ${latest.size}: a rollback or a split view`, latest.size);
      }
      const response = await fetch(`${w.url}/add-checkpoint`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: await this.request(old, latest),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const body = await response.text();
      if (response.status === 409 && /^\d+\n$/.test(body)) {
        old = Number(body);
        continue;
      }
      if (response.status !== 200) {
        return this.record(w, 'refused', `add-checkpoint of ${latest.size} from ${old} answered ${response.status}: ${body.trim().slice(0, 300)}`, latest.size);
      }
      return this.keep(w, latest, body);
    }
    return this.record(w, 'refused', 'the witness keeps answering 409 with another size', latest.size);
  }

  /** C2SP tlog-witness add-checkpoint body: old size, the consistency proof, a blank line, the checkpoint. */
  private async request(old: number, latest: SignedCheckpoint): Promise<string> {
    const proof = old > 0 && old < latest.size ? await this.store.consistencyProof(old, latest.size) : [];
    return `old ${old}\n${proof.map((hash) => `${encodeBase64(hash)}\n`).join('')}\n${latest.note}`;
  }

  /** Keeps the witness's line for this checkpoint, once it verifies against its pinned key. */
  private async keep(w: Witness, latest: SignedCheckpoint, body: string): Promise<void> {
    const text = parseNote(latest.note).text;
    const lines = body.split(/(?<=\n)/);
    const signatures = parseCosignatureLines(body);
    const index = signatures.findIndex((s) => s.name === w.verifier.name && s.keyId === w.verifier.keyId);
    if (index < 0) return this.record(w, 'refused', 'the answer holds no cosignature by the pinned key', latest.size);
    let cosignature: Cosignature;
    try {
      cosignature = verifyCosignature(text, signatures[index]!, w.verifier)!;
    } catch (error) {
      return this.record(w, 'refused', `its cosignature of ${latest.size} does not verify: ${(error as Error).message}`, latest.size);
    }
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO log_cosignatures (tree_size, witness, line, cosigned_at) VALUES ($1, $2, $3, to_timestamp($4))
           ON CONFLICT (tree_size, witness) DO NOTHING`,
        [latest.size, w.verifierKey, lines[index], cosignature.timestamp],
      );
      await m.query(
        `UPDATE log_witnesses SET cosigned_size = $2, cosigned_at = now(), attempted_at = now(), last_status = 'cosigned', last_error = NULL
          WHERE witness = $1 AND (cosigned_size IS NULL OR cosigned_size <= $2)`,
        [w.verifierKey, latest.size],
      );
    });
  }

  /** Where each witness stands: what it last cosigned, how far and since when it is behind, its last answer. */
  async status(): Promise<WitnessStatus[]> {
    if (this.witnesses.length === 0) return [];
    const rows = await this.dataSource.query<Array<{
      witness: string; cosigned_size: string | null; attempted_at: Date | null; last_status: Outcome | null; last_error: string | null;
      tree_size: string | null; behind_since: Date | null;
    }>>(
      `SELECT w.witness, w.cosigned_size, w.attempted_at, w.last_status, w.last_error, latest.tree_size,
              -- The first checkpoint it has not cosigned: the log has been ahead of it since then.
              (SELECT c.created_at FROM log_checkpoints c WHERE c.tree_size > coalesce(w.cosigned_size, -1) ORDER BY c.tree_size LIMIT 1) AS behind_since
         FROM log_witnesses w
         LEFT JOIN LATERAL (SELECT tree_size FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1) latest ON true
        WHERE w.witness = ANY($1)`,
      [this.witnesses.map((w) => w.verifierKey)],
    );
    return this.witnesses.map((w) => {
      const row = rows.find((r) => r.witness === w.verifierKey);
      const cosigned = row?.cosigned_size == null ? null : Number(row.cosigned_size);
      const treeSize = row?.tree_size == null ? 0 : Number(row.tree_size);
      const behind = treeSize - (cosigned ?? 0);
      return {
        name: w.name,
        verifierKey: w.verifierKey,
        url: w.url,
        cosignedSize: cosigned,
        behindBy: behind,
        behindSince: behind > 0 || cosigned === null ? (row?.behind_since?.toISOString() ?? null) : null,
        lastStatus: row?.last_status ?? null,
        lastError: row?.last_error ?? null,
        attemptedAt: row?.attempted_at?.toISOString() ?? null,
      };
    });
  }

  private async record(w: Witness, outcome: Outcome, error: string, size?: number): Promise<void> {
    if (outcome === 'refused') this.logger.error(`witness ${w.name} refused checkpoint ${size}: ${error}`);
    else this.logger.warn(`witness ${w.name} did not answer: ${error}`);
    await this.dataSource.query(
      `UPDATE log_witnesses SET attempted_at = now(), last_status = $2, last_error = $3,
              refused_size = CASE WHEN $2 = 'refused' THEN $4::bigint ELSE refused_size END,
              refused_at = CASE WHEN $2 = 'refused' THEN now() ELSE refused_at END
        WHERE witness = $1`,
      [w.verifierKey, outcome, error, size ?? null],
    );
  }
}
