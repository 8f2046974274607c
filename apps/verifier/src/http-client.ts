import { setTimeout as sleep } from 'node:timers/promises';

/** A request that got no usable answer: the message names the URL and the status, never the token. */
export class HttpFailure extends Error {}

export interface Fetched {
  url: string;
  status: number;
  body: Uint8Array;
  contentType: string;
}

const TIMEOUT_MS = 30_000;
// A registry that limits the rate of its public routes answers 429 with Retry-After: wait as
// told (at least a moment, at most a minute) and ask again, a few times before giving up.
const RATE_LIMITED_RETRIES = 10;
const RETRY_AFTER_MS = { min: 250, max: 60_000 };
// A connection the server closed before answering (most often a kept-alive one it had just
// timed out while the verifier was busy hashing) says nothing about the log: a GET is asked
// again, a few times, a moment apart. A refused connection or a timeout is not retried.
const CLOSED_CONNECTION_CODES = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);
const CLOSED_CONNECTION_RETRIES = 3;
const CLOSED_CONNECTION_WAIT_MS = 100;

/**
 * GETs from the registry under `baseUrl`. Only requests that ask for it carry the oversight
 * token, so public checks prove what the public can see.
 */
export class RegistryClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly token?: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Any HTTP status comes back (a 429 once the retries are spent); only a request that got no answer at all throws. */
  async get(path: string, options: { withToken?: boolean } = {}): Promise<Fetched> {
    for (let attempt = 0; ; attempt++) {
      const fetched = await this.getAnswered(path, options);
      if (fetched.status !== 429 || attempt === RATE_LIMITED_RETRIES) return fetched;
      await sleep(retryAfterMs(fetched.retryAfter));
    }
  }

  private async getAnswered(path: string, options: { withToken?: boolean }): Promise<Fetched & { retryAfter: string | null }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.getOnce(path, options);
      } catch (error) {
        if (attempt === CLOSED_CONNECTION_RETRIES || !CLOSED_CONNECTION_CODES.has(causeCode(error) ?? '')) {
          throw new HttpFailure(`GET ${this.url(path)}: ${networkReason(error)}`);
        }
        await sleep(CLOSED_CONNECTION_WAIT_MS * 2 ** attempt);
      }
    }
  }

  private async getOnce(path: string, options: { withToken?: boolean }): Promise<Fetched & { retryAfter: string | null }> {
    const url = this.url(path);
    const withToken = options.withToken === true && this.token !== undefined;
    const response = await fetch(url, {
      headers: withToken ? { authorization: `Bearer ${this.token}` } : {},
      // The token is not handed on to wherever a redirect points.
      redirect: withToken ? 'manual' : 'follow',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return { url, status: response.status, body, contentType: response.headers.get('content-type') ?? '', retryAfter: response.headers.get('retry-after') };
  }

  /** The body of a 200 answer; with `missingOk`, undefined for a 404. */
  async bytes(path: string, options: { withToken?: boolean; missingOk: true }): Promise<Uint8Array | undefined>;
  async bytes(path: string, options?: { withToken?: boolean; missingOk?: false }): Promise<Uint8Array>;
  async bytes(path: string, options: { withToken?: boolean; missingOk?: boolean } = {}): Promise<Uint8Array | undefined> {
    const fetched = await this.get(path, options);
    if (options.missingOk && fetched.status === 404) return undefined;
    return okBody(fetched);
  }

  async json(path: string, options: { withToken?: boolean } = {}): Promise<unknown> {
    return parseJson(await this.get(path, options));
  }
}

export function okBody(fetched: Fetched): Uint8Array {
  if (fetched.status !== 200) throw statusFailure(fetched);
  return fetched.body;
}

export function parseJson(fetched: Fetched): unknown {
  const body = okBody(fetched);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new HttpFailure(`GET ${fetched.url}: the answer is not JSON`);
  }
}

export function statusFailure(fetched: Fetched): HttpFailure {
  const refused = fetched.status === 401 || fetched.status === 403 ? ' (the oversight token was refused or is missing)' : '';
  return new HttpFailure(`GET ${fetched.url}: HTTP ${fetched.status}${problemDetail(fetched)}${refused}`);
}

// RFC 9457 problem details, when the server sent them, say more than the status alone.
function problemDetail(fetched: Fetched): string {
  if (!/json/i.test(fetched.contentType)) return '';
  try {
    const problem = JSON.parse(new TextDecoder().decode(fetched.body)) as { title?: unknown; detail?: unknown };
    const text = [problem.title, problem.detail].filter((s) => typeof s === 'string' && s !== '').join(': ');
    return text ? ` ${text}` : '';
  } catch {
    return '';
  }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), kept within RETRY_AFTER_MS. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  const ms = header !== null && Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header ?? '') - Date.now();
  return Math.min(RETRY_AFTER_MS.max, Math.max(RETRY_AFTER_MS.min, Number.isFinite(ms) ? ms : 1000));
}

// Errors are looked at by their fields, not with instanceof: fetch's come from Node's own realm.
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function networkReason(error: unknown): string {
  const failed = error as ErrorLike | undefined;
  if (failed?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = failed?.cause as ErrorLike | undefined;
  const detail = causeCode(error) ?? (typeof cause?.message === 'string' ? cause.message : String(error));
  return `could not reach the server (${detail})`;
}

/** The system or undici error code behind a failed fetch (or a failed body read), if any. */
function causeCode(error: unknown): string | undefined {
  for (let at = error as ErrorLike | undefined, depth = 0; typeof at === 'object' && at !== null && depth < 5; at = at.cause as ErrorLike, depth++) {
    if (typeof at.code === 'string') return at.code;
  }
  return undefined;
}
