import { Injectable, type NestMiddleware, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { encodeBody, encodingFor, whenSentWhole } from '../http/compression.js';
import { LogSignals } from '../log/log-signals.js';

/** A public answer as it was sent: status 200, the headers that describe it, its bytes. */
interface Stored {
  version: string;
  expiresAt: number;
  headers: Array<[string, string]>;
  body: Buffer;
  /** The body gzipped or in Brotli, each made the first time a reader accepts it. */
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
}

// As long as the answers already tell browsers and proxies they may keep them (max-age=60):
// this cache never serves anything older than a shared cache is allowed to. Each answer is kept
// for a random part of that beyond the first half, so that the pages cached together in a burst
// do not all expire in the same second and are not all recomputed at once (bench/RESULTS.md).
const MAX_AGE_MS = 60_000;
const lifetime = () => MAX_AGE_MS * (0.5 + Math.random() / 2);
// How often, at most, the tree size written by another instance's integrator is read.
const TREE_SIZE_REFRESH_MS = 250;
const KEPT_HEADERS = ['content-type', 'cache-control', 'etag', 'content-disposition', 'vary', 'content-language'];

/**
 * Caches the public API's and the portal's answers in this process, so that a news day's
 * crowd reading the same pages costs what a trivial endpoint costs (bench/RESULTS.md).
 *
 * An answer is kept with the version of the public view it was computed from, read before
 * computing it, and served only while that version holds. Nothing the public sees changes
 * without a log entry (PRODUCT.md), so the version is: the transactions of this process that
 * committed a log entry (counted at commit), and the size of the tree (grown by whichever
 * instance integrates; read from the database at most every 250 ms, at once when the integrator
 * is here). A change made through this instance is therefore seen by its next request; one made
 * through another instance once its entry is integrated. Callers that send a token are never
 * served from the cache (their token is checked as usual).
 *
 * While one request computes a missing answer, the others asking for it at the same version
 * wait for it rather than computing it again: a crowd on one page costs one computation.
 */
@Injectable()
export class PublicCache implements NestMiddleware, OnModuleInit {
  private readonly store?: LRUCache<string, Stored>;
  private committed = 0;
  private treeSize = -1;
  private treeSizeReadAt = 0;
  private reading?: Promise<void>;
  private readonly computing = new Map<string, { version: string; answer: Promise<Stored | undefined> }>();

  constructor(
    config: AppConfig,
    private readonly signals: LogSignals,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    if (config.publicCacheMiB > 0) {
      this.store = new LRUCache<string, Stored>({
        maxSize: config.publicCacheMiB * 1_048_576,
        // One answer may take at most an eighth of the cache (a large export is not worth more).
        maxEntrySize: (config.publicCacheMiB * 1_048_576) / 8,
        sizeCalculation: (stored) => stored.body.length + 512,
      });
    }
  }

  onModuleInit(): void {
    this.signals.onQueued(() => this.committed++);
    this.signals.onIntegrated((treeSize) => {
      this.treeSize = Math.max(this.treeSize, treeSize);
      this.treeSizeReadAt = Date.now();
    });
  }

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const store = this.store;
    if (!store || (request.method !== 'GET' && request.method !== 'HEAD') || request.headers.authorization !== undefined) return next();
    const key = request.originalUrl;
    let version: string;
    try {
      version = await this.version();
    } catch {
      return next(); // the database is out of reach: the route itself answers as it can
    }
    const stored = store.get(key);
    if (stored && stored.version === version && Date.now() < stored.expiresAt) return replay(request, response, stored);
    const computing = this.computing.get(key);
    if (computing?.version === version) {
      const answer = await computing.answer;
      // Not kept (an error, a stream, too large): this request computes its own.
      return answer ? replay(request, response, answer) : next();
    }
    let settle!: (answer: Stored | undefined) => void;
    const answer = new Promise<Stored | undefined>((resolve) => (settle = resolve));
    this.computing.set(key, { version, answer });
    const done = (kept: Stored | undefined) => {
      if (this.computing.get(key)?.answer === answer) this.computing.delete(key);
      settle(kept);
    };
    response.once('close', () => done(undefined));
    capture(response, (headers, body) => {
      const kept = { version, expiresAt: Date.now() + lifetime(), headers, body, encoded: {} };
      store.set(key, kept);
      done(kept);
    });
    next();
  }

  private async version(): Promise<string> {
    if (Date.now() - this.treeSizeReadAt >= TREE_SIZE_REFRESH_MS) {
      this.reading ??= this.readTreeSize().finally(() => (this.reading = undefined));
      await this.reading;
    }
    return `${this.committed}:${this.treeSize}`;
  }

  private async readTreeSize(): Promise<void> {
    const startedAt = Date.now();
    const [{ size }] = await this.dataSource.query<Array<{ size: string | null }>>('SELECT max(tree_size) AS size FROM log_checkpoints');
    this.treeSize = Math.max(this.treeSize, Number(size ?? 0));
    this.treeSizeReadAt = startedAt;
  }
}

function replay(request: Request, response: Response, stored: Stored): void {
  for (const [name, value] of stored.headers) response.setHeader(name, value);
  response.status(200);
  // If-None-Match against the stored ETag, exactly as Express itself answers it.
  if (request.fresh) {
    response.status(304).end();
    return;
  }
  // Compressed as compressAnswers would, but once per answer kept rather than once per reader:
  // it would otherwise cost more than the rest of a hit.
  let body = stored.body;
  const encoding = encodingFor(request, response, body);
  if (encoding) {
    body = stored.encoded[encoding] ??= encodeBody(encoding, stored.body);
    response.setHeader('Content-Encoding', encoding);
  }
  response.setHeader('Content-Length', body.length);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Keeps the answer once it is sent, if it is a complete 200 (not a 304, an error or a HEAD). */
function capture(response: Response, keep: (headers: Array<[string, string]>, body: Buffer) => void): void {
  whenSentWhole(response, (body, end, args) => {
    if (response.statusCode === 200 && response.req.method === 'GET') {
      const headers = KEPT_HEADERS.flatMap((name): Array<[string, string]> => {
        const value = response.getHeader(name);
        return value === undefined ? [] : [[name, String(value)]];
      });
      keep(headers, body);
    }
    return end(...args);
  });
}
