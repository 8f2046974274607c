import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import canonicalize from 'canonicalize';
import {
  consistencyProofFromLeaves,
  decodeEntryBundle,
  encodeBase64,
  encodeEntryBundle,
  entryBundlePath,
  formatVerifierKey,
  hashLeaf,
  parseSignerKey,
  rootFromLeafHashes,
  signCheckpoint,
  TILE_WIDTH,
  tilePath,
  tilesFromLeafHashes,
} from '@custodia/tlog';

// A stand-in for the registry's HTTP surface (CONTRACT.md "The audit log"), for the verifier's
// tests only: it serves whatever log and records a test gives it, honest or not.

export const OVERSIGHT_TOKEN = 'oversight-token-for-tests';

export interface FakeLog {
  origin: string;
  verifierKey: string;
  /** What is served under /log/: checkpoint, tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>]. */
  files: Map<string, Uint8Array>;
  /** Every entry, for /api/v1/log/entries and consistency proofs. */
  entries: Uint8Array[];
}

export interface AgencyContent {
  id: string;
  name: string;
  country: string;
  kind: string;
}

export interface FakeAgency extends AgencyContent {
  createdAt: string;
  updatedAt: string;
  publicContentHash: string;
  log: { index: number; leafHash: string } | null;
}

/** One published revision of a tool as the public API serves it. */
export interface FakeRevision {
  revision: number;
  content: Record<string, unknown>;
  publicContentHash: string;
  log: { index: number; leafHash: string } | null;
}

type Answer = { status: number; body?: string | Uint8Array; type?: string };

export class FakeRegistry {
  agencies: FakeAgency[] = [];
  /** Published tools by id, each with its published revisions, oldest first. */
  tools = new Map<string, FakeRevision[]>();
  /** Entries the public may read: those about public records. */
  publicEntries = new Set<number>();
  pageSize = 2;
  /** Answers a request (path with query) before the normal routes when it returns something. */
  intercept?: (path: string) => Answer | undefined;
  /** Runs before each answer; tests use it to change the log or the records between requests. */
  beforeAnswer?: (path: string) => void;
  /** Every request, and whether it carried a token. */
  readonly requests: { path: string; token: boolean }[] = [];
  url = '';
  private readonly server: Server;

  private constructor(public log: FakeLog) {
    this.server = createServer((request, response) => this.answer(request, response));
  }

  static async start(log: FakeLog): Promise<FakeRegistry> {
    const registry = new FakeRegistry(log);
    await new Promise<void>((resolve) => registry.server.listen(0, '127.0.0.1', resolve));
    registry.url = `http://127.0.0.1:${(registry.server.address() as AddressInfo).port}`;
    return registry;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Logs one entry per agency after the log's current entries and lists the agencies as logged. */
  publish(signerKey: string, agencies: AgencyContent[]): void {
    const first = this.log.entries.length;
    const entries = agencies.map((agency, i) => agencyEntry(agency, this.log.origin, `r-${first + i}`));
    this.log = buildLog(signerKey, [...this.log.entries, ...entries]);
    agencies.forEach((agency, i) => this.publicEntries.add(first + i));
    this.agencies.push(...agencies.map((agency, i) => listedAgency(agency, { index: first + i, leafHash: encodeBase64(hashLeaf(entries[i]!)) })));
  }

  /** Logs one publish entry per revision of a tool, and serves the revisions as published. */
  publishTool(signerKey: string, id: string, contents: Array<Record<string, unknown>>): void {
    const first = this.log.entries.length;
    const entries = contents.map((content, i) => toolEntry(id, i + 1, content, this.log.origin, `t-${first + i}`));
    this.log = buildLog(signerKey, [...this.log.entries, ...entries]);
    entries.forEach((_, i) => this.publicEntries.add(first + i));
    this.tools.set(id, contents.map((content, i) => ({
      revision: i + 1,
      content,
      publicContentHash: digest(content),
      log: { index: first + i, leafHash: encodeBase64(hashLeaf(entries[i]!)) },
    })));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/';
    const oversight = request.headers.authorization === `Bearer ${OVERSIGHT_TOKEN}`;
    this.requests.push({ path, token: request.headers.authorization !== undefined });
    this.beforeAnswer?.(path);
    const answer = this.intercept?.(path) ?? this.route(new URL(path, 'http://fake'), oversight);
    response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
    response.end(answer.body);
  }

  private route(url: URL, oversight: boolean): Answer {
    const path = url.pathname;
    if (path.startsWith('/log/')) {
      const file = path.slice('/log/'.length);
      if (file.startsWith('tile/entries/') && !oversight) return problem(401, 'Unauthorized');
      const data = this.log.files.get(file);
      if (!data) return problem(404, 'Not Found');
      return { status: 200, body: data, type: file === 'checkpoint' ? 'text/plain; charset=utf-8' : 'application/octet-stream' };
    }
    if (path === '/api/v1/log/key') return json({ origin: this.log.origin, verifierKey: this.log.verifierKey });
    const entry = /^\/api\/v1\/log\/entries\/(\d+)$/.exec(path);
    if (entry) {
      const index = Number(entry[1]);
      const bytes = this.log.entries[index];
      if (!bytes || !(oversight || this.publicEntries.has(index))) return problem(404, 'Not Found');
      return json({ index, leafHash: encodeBase64(hashLeaf(bytes)), entry: encodeBase64(bytes) });
    }
    if (path === '/api/v1/log/proofs/consistency') {
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      const leafHashes = this.log.entries.slice(0, to).map(hashLeaf);
      return json({ from, to, hashes: consistencyProofFromLeaves(from, leafHashes).map(encodeBase64) });
    }
    if (path === '/api/v1/agencies') {
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const end = offset + this.pageSize;
      return json({ items: this.agencies.slice(offset, end), nextCursor: end < this.agencies.length ? String(end) : null });
    }
    const agency = /^\/api\/v1\/agencies\/([^/]+)$/.exec(path);
    if (agency) {
      const found = this.agencies.find((a) => a.id === agency[1]);
      return found ? json(found) : problem(404, 'Not Found');
    }
    if (path === '/api/v1/public/tools') {
      const ids = [...this.tools.keys()];
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const end = offset + this.pageSize;
      return json({ items: ids.slice(offset, end).map((id) => ({ id })), total: ids.length, nextCursor: end < ids.length ? String(end) : null });
    }
    const tool = /^\/api\/v1\/public\/tools\/([^/]+)(\/revisions)?$/.exec(path);
    const revisions = tool && this.tools.get(tool[1]!);
    if (tool && revisions) return json(tool[2] ? { items: revisions } : { id: tool[1], ...revisions[revisions.length - 1] });
    return problem(404, 'Not Found');
  }
}

/** The entry that publishes a tool's revision, with the digest of its public content. */
export function toolEntry(id: string, revision: number, content: unknown, origin: string, requestId: string): Uint8Array {
  const entry = {
    v: 1,
    origin,
    time: '2025-01-01T00:00:00.000Z',
    actor: { id: 'approver-1', roles: ['agency_approver'] },
    action: 'tool.publish',
    subject: { type: 'tool', id, revision },
    contentHash: digest({ ...(content as object), confidential: 'not in the public view' }),
    publicContentHash: digest(content),
    requestId,
  };
  return new TextEncoder().encode(canonicalize(entry)!);
}

/** A log of `entries` as a C2SP tlog-tiles server holds it, signed with `signerKey`. */
export function buildLog(signerKey: string, entries: Uint8Array[]): FakeLog {
  const signer = parseSignerKey(signerKey);
  const leafHashes = entries.map(hashLeaf);
  const files = new Map<string, Uint8Array>();
  for (const { tile, data } of tilesFromLeafHashes(leafHashes)) files.set(tilePath(tile), data);
  for (let bundle = 0; bundle * TILE_WIDTH < entries.length; bundle++) {
    const slice = entries.slice(bundle * TILE_WIDTH, (bundle + 1) * TILE_WIDTH);
    files.set(entryBundlePath(bundle, slice.length), encodeEntryBundle(slice));
  }
  const checkpoint = signCheckpoint({ origin: signer.name, size: entries.length, rootHash: rootFromLeafHashes(leafHashes) }, [signer]);
  files.set('checkpoint', new TextEncoder().encode(checkpoint));
  return { origin: signer.name, verifierKey: formatVerifierKey(signer.name, signer.publicKey), files, entries };
}

/** A log written by another implementation, as found in a folder (e.g. the tessera test data). */
export function logFromDirectory(dir: string, verifierKey: string): FakeLog {
  const files = new Map<string, Uint8Array>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), new Uint8Array(readFileSync(path)));
    }
  };
  walk(dir);
  const size = Number(new TextDecoder().decode(files.get('checkpoint')).split('\n')[1]);
  const entries: Uint8Array[] = [];
  for (let bundle = 0; bundle * TILE_WIDTH < size; bundle++) {
    const width = Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
    entries.push(...decodeEntryBundle(files.get(entryBundlePath(bundle, width))!));
  }
  return { origin: verifierKey.split('+')[0]!, verifierKey, files, entries };
}

/** A log entry about an agency, as CONTRACT.md "The audit log" describes it. */
export function agencyEntry(agency: AgencyContent, origin: string, requestId: string, action = 'agency.create'): Uint8Array {
  const entry = {
    v: 1,
    origin,
    time: '2025-01-01T00:00:00.000Z',
    actor: { id: 'user-1', roles: ['admin'] },
    action,
    subject: { type: 'agency', id: agency.id },
    contentHash: digest(agency),
    publicContentHash: digest(publicView(agency)),
    requestId,
  };
  return new TextEncoder().encode(canonicalize(entry)!);
}

export function listedAgency(agency: AgencyContent, log: FakeAgency['log']): FakeAgency {
  const time = '2025-01-01T00:00:00.000Z';
  return { ...publicView(agency), createdAt: time, updatedAt: time, publicContentHash: digest(publicView(agency)), log };
}

export function makeAgency(n: number, overrides: Partial<AgencyContent> = {}): AgencyContent {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `Agency ${n}`, country: 'CR', kind: 'police', ...overrides };
}

function publicView({ id, name, country, kind }: AgencyContent): AgencyContent {
  return { id, name, country, kind };
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalize(value)!).digest('hex');
}

function json(value: unknown): Answer {
  return { status: 200, body: JSON.stringify(value) };
}

function problem(status: number, title: string): Answer {
  return { status, body: JSON.stringify({ type: 'about:blank', title, status }), type: 'application/problem+json' };
}
