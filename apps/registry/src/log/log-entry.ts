import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Who did it, as written into the log: an opaque id, never a name. */
export interface LogActor {
  id: string;
  roles: string[];
  agencyId?: string;
}

export interface LogSubject {
  type: string;
  id: string;
  revision?: number;
}

/** What a caller asks to log; the writer adds version, origin and time. */
export interface LogEntryInput {
  actor: LogActor;
  action: string;
  subject: LogSubject;
  /** The full record after the change (all visibility levels); only its digest is logged. */
  content?: unknown;
  /** What the public may see of the record; only its digest is logged. */
  publicContent?: unknown;
  reason?: string;
  requestId: string;
  /** The entry is about a public record: anyone may read it (CONTRACT.md). Not part of the entry. */
  public?: boolean;
}

export const LOG_ENTRY_VERSION = 1;

/** Hex SHA-256 of the RFC 8785 canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/**
 * The exact bytes that are stored and hashed (CONTRACT.md "The audit log"): UTF-8 RFC 8785
 * canonical JSON. Optional members are left out rather than written as null.
 */
export function encodeEntry(input: LogEntryInput, origin: string, time: Date): Buffer {
  const entry = {
    v: LOG_ENTRY_VERSION,
    origin,
    time: time.toISOString(),
    actor: {
      id: input.actor.id,
      roles: [...input.actor.roles].sort(),
      ...(input.actor.agencyId ? { agencyId: input.actor.agencyId } : {}),
    },
    action: input.action,
    subject: input.subject,
    ...(input.content !== undefined ? { contentHash: contentHash(input.content) } : {}),
    ...(input.publicContent !== undefined ? { publicContentHash: contentHash(input.publicContent) } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    requestId: input.requestId,
  };
  return Buffer.from(canonicalJson(entry), 'utf8');
}
