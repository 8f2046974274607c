import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler, Response } from 'express';
import session, { type SessionData, Store } from 'express-session';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';

declare module 'express-session' {
  interface SessionData {
    /** The access token the console acts with, verified on every request as the API verifies a bearer token. */
    accessToken?: string;
    /** The OpenID provider's ID token, kept for its end-session endpoint. */
    idToken?: string;
    /** The provider's refresh token: a new access token when the current one expires. */
    refreshToken?: string;
    /** An authorization request under way: its PKCE verifier, state and nonce, and where to go after. */
    signIn?: { codeVerifier: string; state: string; nonce: string; next: string; lang: string };
    /** A message for the next page (after a redirect): its i18n key and values. */
    flash?: { key: string; values?: Record<string, string | number> };
  }
}

export const SESSION_COOKIE = 'custodia_console';
const CLEANUP_EVERY_MS = 15 * 60_000;

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store on the registry's own database (console_sessions): sessions survive a
 * restart and are shared by every instance, and signing out deletes the row, so an old cookie
 * replayed afterwards finds nothing.
 */
export class PostgresSessionStore extends Store {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idleMs: number,
  ) {
    super();
  }

  override get(sid: string, done: Callback<SessionData | null>): void {
    this.dataSource
      .query<Array<{ data: SessionData }>>('SELECT data FROM console_sessions WHERE sid = $1 AND expires_at > now()', [sid])
      .then((rows) => done(null, rows[0]?.data ?? null), done);
  }

  override set(sid: string, data: SessionData, done: Callback = () => {}): void {
    this.dataSource
      .query(
        `INSERT INTO console_sessions (sid, data, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [sid, data, this.expiry(data)],
      )
      .then(() => done(), done);
  }

  override touch(sid: string, data: SessionData, done: Callback = () => {}): void {
    this.dataSource.query('UPDATE console_sessions SET expires_at = $2 WHERE sid = $1', [sid, this.expiry(data)]).then(() => done(), done);
  }

  override destroy(sid: string, done: Callback = () => {}): void {
    this.dataSource.query('DELETE FROM console_sessions WHERE sid = $1', [sid]).then(() => done(), done);
  }

  private expiry(data: SessionData): Date {
    return data.cookie?.expires ? new Date(data.cookie.expires) : new Date(Date.now() + this.idleMs);
  }
}

const csrf = csrfSync({ getTokenFromRequest: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined, size: 32 });

/** The CSRF token of this session for the forms of a page (made on first use). */
export const csrfToken = (request: Request): string => csrf.generateToken(request);
/** Whether a form post carries this session's CSRF token. */
export const hasValidCsrfToken = (request: Request): boolean => csrf.isRequestValid(request);

/** The console's sessions: the express-session middleware, and the removal of expired ones. */
@Injectable()
export class ConsoleSessions {
  private readonly logger = new Logger(ConsoleSessions.name);
  readonly middleware: RequestHandler;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    const idleMs = config.console.sessionIdleMinutes * 60_000;
    this.middleware = session({
      name: SESSION_COOKIE,
      secret: config.console.sessionSecret ?? developmentSecret(config.dataDir),
      store: new PostgresSessionStore(dataSource, idleMs),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      // Secure whenever the request came over HTTPS (directly or, with TRUST_PROXY, through a proxy).
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/console', maxAge: idleMs },
    });
  }

  @Interval(CLEANUP_EVERY_MS)
  async removeExpired(): Promise<void> {
    try {
      await this.dataSource.query('DELETE FROM console_sessions WHERE expires_at <= now()');
    } catch (error) {
      this.logger.warn(`Could not remove expired console sessions: ${(error as Error).message}`);
    }
  }
}

/** Regenerates the session id (no fixation across sign-in) and stores what is given in the new one. */
export function startSession(request: Request, values: Partial<SessionData>): Promise<void> {
  return new Promise((resolve, reject) => {
    request.session.regenerate((error) => {
      if (error) return reject(error as Error);
      Object.assign(request.session, values);
      request.session.save((saveError) => (saveError ? reject(saveError as Error) : resolve()));
    });
  });
}

/** Ends the session on the server and tells the browser to drop the cookie. */
export function endSession(request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    request.session.destroy((error) => {
      response.clearCookie(SESSION_COOKIE, { path: '/console', httpOnly: true, sameSite: 'lax' });
      return error ? reject(error as Error) : resolve();
    });
  });
}

export function saveSession(request: Request): Promise<void> {
  return new Promise((resolve, reject) => request.session.save((error) => (error ? reject(error as Error) : resolve())));
}

/** The development session secret: made on first use in the data folder, as the development issuer's key. */
function developmentSecret(dataDir: string): string {
  const path = join(dataDir, 'console', 'session-secret');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    chmodSync(path, 0o600);
  }
  return readFileSync(path, 'utf8').trim();
}
