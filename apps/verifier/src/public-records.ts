import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import canonicalize from 'canonicalize';
import { decodeBase64, hashLeaf } from '@custodia/tlog';
import { mapLimit } from './concurrency.js';
import { equalBytes, guard, VerificationFailure } from './failure.js';
import { type RegistryClient, parseJson } from './http-client.js';
import type { VerifiedTree } from './verify-tree.js';

/** A kind of public record whose every published state must be the one its log entry recorded. */
export interface PublicRecordKind {
  /** The subject type in its log entries; also its name in messages. */
  type: string;
  /** The public list, paged with ?limit=&cursor=; one record is at <path>/<id>. */
  path: string;
  /** The public projection whose RFC 8785 SHA-256 the log entry carries as publicContentHash. */
  publicContent(record: PublicRecord): unknown;
  /**
   * Where every published state of one record is listed ({items}), when the list holds only
   * summaries: each state is checked against the entry that published it.
   */
  history?: (id: string) => string;
}

/** Adding a kind of public record to the check is one line here. */
export const PUBLIC_RECORD_KINDS: readonly PublicRecordKind[] = [
  { type: 'agency', path: '/api/v1/agencies', publicContent: ({ id, name, country, kind }) => ({ id, name, country, kind }) },
  { type: 'tool', path: '/api/v1/public/tools', history: (id) => `/api/v1/public/tools/${encodeURIComponent(id)}/revisions`, publicContent: ({ content }) => content },
];

export interface PublicRecord {
  id: string;
  publicContentHash: string;
  /** For a record with revisions: the one this state is, which its entry must name. */
  revision?: number;
  /** The entry that recorded the record's current state; null while it is still queued. */
  log: { index: number; leafHash: string } | null;
  [field: string]: unknown;
}

/** The verified log the records are checked against, and a way to see it again once it grew. */
export interface LogForRecords {
  tree: VerifiedTree;
  /** Verifies a fresh checkpoint extending `tree`; asked at most once, when a record is logged beyond it. */
  refresh(): Promise<VerifiedTree>;
}

interface Pending {
  kind: PublicRecordKind;
  record: PublicRecord;
}

const PAGE_SIZE = 100;
const PARALLEL_RECORDS = 8;
const POLL_MS = 250;

/**
 * Checks every public record against the log, as anyone can: its log entry must be public,
 * must be the entry at its index in the verified tree, must be about this record, and must
 * carry the digest of the public content being served now. Returns how many records matched
 * and the tree they were matched against (a fresher one when some were logged after it).
 */
export async function checkPublicRecords(
  client: RegistryClient,
  log: LogForRecords,
  options: { kinds?: readonly PublicRecordKind[]; pendingWaitMs: number },
): Promise<{ checked: number; tree: VerifiedTree }> {
  let tree = log.tree;
  let checked = 0;
  const pending: Pending[] = [];
  const beyond: Pending[] = [];
  const check = async (items: Pending[]) => {
    const outcomes = await mapLimit(items, PARALLEL_RECORDS, (item) => settle(checkRecord(client, item, tree)));
    for (const [i, outcome] of outcomes.entries()) {
      if ('error' in outcome) throw outcome.error;
      if (outcome.value === 'beyond') beyond.push(items[i]!);
      else checked++;
    }
  };

  for (const kind of options.kinds ?? PUBLIC_RECORD_KINDS) {
    for await (const listed of walk(client, kind)) {
      const records = kind.history ? (await mapLimit(listed, PARALLEL_RECORDS, (record) => history(client, kind, record.id))).flat() : listed;
      const items = records.map((record) => ({ kind, record }));
      pending.push(...items.filter((item) => item.record.log === null));
      await check(items.filter((item) => item.record.log !== null));
    }
  }
  if (pending.length > 0) await check(await awaitLogged(client, pending, options.pendingWaitMs));
  if (beyond.length > 0) {
    // The log may have grown since its checkpoint was read: look once more, then insist.
    tree = await log.refresh();
    const again = beyond.splice(0);
    await check(again);
    const first = beyond[0];
    if (first) {
      throw new VerificationFailure(
        `${label(first)} is logged at index ${first.record.log!.index}, beyond the log's checkpoint (size ${tree.checkpoint.size})`,
      );
    }
  }
  return { checked, tree };
}

async function checkRecord(client: RegistryClient, { kind, record }: Pending, tree: VerifiedTree): Promise<'matched' | 'beyond'> {
  const { index, leafHash } = record.log!;
  if (index >= tree.checkpoint.size) return 'beyond';
  const fail = (reason: string) => new VerificationFailure(`${kind.type} ${record.id}: ${reason}`, index);

  // Without the token: the public must be able to read the entries about public records.
  const fetched = await client.get(`/api/v1/log/entries/${index}`);
  if (fetched.status === 401 || fetched.status === 403 || fetched.status === 404) {
    throw fail(`its log entry ${index} is not public (GET ${fetched.url}: HTTP ${fetched.status})`);
  }
  const served = parseServedEntry(parseJson(fetched), fetched.url, index);
  const entryHash = hashLeaf(served.entry);
  if (!equalBytes(entryHash, served.leafHash)) throw fail(`entry ${index} as served does not hash to the leafHash served with it`);
  if (!equalBytes(entryHash, guard(`${kind.type} ${record.id}: log.leafHash`, () => decodeBase64(leafHash), index))) {
    throw fail(`its log.leafHash is not the hash of entry ${index}`);
  }
  if (!equalBytes(entryHash, tree.leafHashes[index]!)) throw fail(`entry ${index} as served is not the entry at index ${index} in the log`);

  const logged = parseLoggedEntry(served.entry);
  if (!logged) throw fail(`entry ${index} is not a version 1 log entry`);
  if (logged.origin !== tree.checkpoint.origin) throw fail(`entry ${index} belongs to log ${logged.origin}`);
  if (logged.subject.type !== kind.type || logged.subject.id !== record.id) {
    throw fail(`entry ${index} is about ${logged.subject.type} ${logged.subject.id}, not this ${kind.type}`);
  }
  if (record.revision !== undefined && logged.subject.revision !== record.revision) {
    throw fail(`entry ${index} is about revision ${logged.subject.revision ?? '(none)'}, not revision ${record.revision}`);
  }
  const recomputed = publicContentHash(kind.publicContent(record));
  if (logged.publicContentHash !== recomputed) {
    throw fail(
      `its public content does not match entry ${index}: it hashes to ${recomputed}, the entry logged ${logged.publicContentHash ?? 'no publicContentHash'} (changed after logging?)`,
    );
  }
  if (record.publicContentHash !== recomputed) {
    throw fail(`the publicContentHash served with it (${record.publicContentHash}) is not the hash of its public content (${recomputed})`);
  }
  return 'matched';
}

/** Hex SHA-256 of the RFC 8785 canonical JSON, as the log entries carry it. */
export function publicContentHash(content: unknown): string {
  const text = canonicalize(content);
  if (text === undefined) throw new Error('public content has no JSON form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function* walk(client: RegistryClient, kind: PublicRecordKind): AsyncGenerator<PublicRecord[]> {
  const cursors = new Set<string>();
  let cursor: string | null = null;
  do {
    const path = `${kind.path}?limit=${PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = (await client.json(path)) as { items?: unknown; nextCursor?: unknown };
    if (!Array.isArray(page?.items) || !(page.nextCursor === null || typeof page.nextCursor === 'string')) {
      throw new VerificationFailure(`${client.url(path)} is not a page of records ({items, nextCursor})`);
    }
    yield page.items.map((item) => (kind.history ? listed(kind, item, client.url(path)) : parseRecord(kind, item, client.url(path))));
    cursor = page.nextCursor;
    if (cursor !== null && cursors.has(cursor)) throw new VerificationFailure(`${client.url(kind.path)} pages in a circle`);
    if (cursor !== null) cursors.add(cursor);
  } while (cursor !== null);
}

// Every published state of a record, each checked like a record of its own.
async function history(client: RegistryClient, kind: PublicRecordKind, id: string): Promise<PublicRecord[]> {
  const path = kind.history!(id);
  const page = (await client.json(path)) as { items?: unknown } | null;
  if (!Array.isArray(page?.items)) throw new VerificationFailure(`${client.url(path)} is not a list of published states ({items})`);
  return page.items.map((item) => parseRecord(kind, { ...(item as object), id }, client.url(path)));
}

// A record still queued for the log is fetched again until it is logged or the wait is over.
async function awaitLogged(client: RegistryClient, pending: Pending[], waitMs: number): Promise<Pending[]> {
  const deadline = Date.now() + waitMs;
  const logged: Pending[] = [];
  let waiting = pending;
  for (;;) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    const again = await mapLimit(waiting, PARALLEL_RECORDS, async ({ kind, record }) => {
      const path = `${kind.path}/${encodeURIComponent(record.id)}`;
      return { kind, record: parseRecord(kind, await client.json(path), client.url(path)) };
    });
    logged.push(...again.filter((item) => item.record.log !== null));
    waiting = again.filter((item) => item.record.log === null);
    if (waiting.length === 0) return logged;
    if (Date.now() >= deadline) {
      throw new VerificationFailure(`${label(waiting[0]!)} has no log entry (still none after ${waitMs / 1000} s)`);
    }
  }
}

// A summary in a list whose records are checked through their history: only its id matters.
function listed(kind: PublicRecordKind, value: unknown, where: string): PublicRecord {
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new VerificationFailure(`${where}: a ${kind.type} without an id`);
  return { id, publicContentHash: '', log: null };
}

function parseRecord(kind: PublicRecordKind, value: unknown, where: string): PublicRecord {
  const record = value as Partial<PublicRecord> | null;
  const id = typeof record?.id === 'string' ? record.id : undefined;
  const log = record?.log;
  const revisionOk = record?.revision === undefined || Number.isSafeInteger(record.revision);
  const logOk = log === null || (typeof log === 'object' && Number.isSafeInteger(log?.index) && log!.index >= 0 && typeof log!.leafHash === 'string');
  if (!id || typeof record!.publicContentHash !== 'string' || !logOk || !revisionOk) {
    throw new VerificationFailure(`${where}: ${kind.type} ${id ?? '(no id)'} lacks a string publicContentHash or a log of {index, leafHash} or null`);
  }
  return record as PublicRecord;
}

function parseServedEntry(value: unknown, where: string, index: number): { leafHash: Uint8Array; entry: Uint8Array } {
  const served = value as { index?: unknown; leafHash?: unknown; entry?: unknown } | null;
  if (served?.index !== index || typeof served.leafHash !== 'string' || typeof served.entry !== 'string') {
    throw new VerificationFailure(`${where} is not entry ${index} as {index, leafHash, entry}`, index);
  }
  const { leafHash, entry } = served;
  return {
    leafHash: guard(`${where}: leafHash`, () => decodeBase64(leafHash), index),
    entry: guard(`${where}: entry`, () => decodeBase64(entry), index),
  };
}

interface LoggedEntry {
  origin: string;
  subject: { type: string; id: string; revision?: number };
  publicContentHash?: string;
}

// CONTRACT.md "The audit log": UTF-8 RFC 8785 JSON {v: 1, origin, time, actor, action, subject, ...}.
function parseLoggedEntry(bytes: Uint8Array): LoggedEntry | undefined {
  try {
    const entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<LoggedEntry> & { v?: unknown };
    const ok = entry.v === 1 && typeof entry.origin === 'string' && typeof entry.subject?.type === 'string' && typeof entry.subject.id === 'string';
    return ok ? (entry as LoggedEntry) : undefined;
  } catch {
    return undefined;
  }
}

function label({ kind, record }: Pending): string {
  return `${kind.type} ${record.id}`;
}

async function settle<T>(work: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await work };
  } catch (error) {
    return { error };
  }
}
