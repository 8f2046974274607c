import { emptyRoot, hashLeaf, type NoteSigner, openCheckpoint, signCheckpoint, tileInterior } from '@custodia/tlog';
import { type FullTile, TreeEdge } from './tree-edge.js';

/** Runs SQL in the integrator's transaction (a pg client or a TypeORM manager behind it). */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** The log cannot be extended safely: its stored state does not match its signed checkpoint. */
export class LogIntegrityError extends Error {}

/** What the integrator carries from one batch to the next (it is the only writer). */
export interface IntegratorMemory {
  edge?: TreeEdge;
  /** Every queued entry written by a transaction older than this is integrated. */
  horizon?: string;
  /** A snapshot every queued entry visible in is integrated (in-process only, like the edge). */
  seen?: Snapshot;
}

/** A pg_snapshot: what it sees is every xid below xmax except those still running (xip). */
interface Snapshot {
  xmin: string;
  xmax: string;
  xip: string[];
}

function parseSnapshot(text: string): Snapshot {
  const [xmin, xmax, xip] = text.split(':');
  return { xmin: xmin!, xmax: xmax!, xip: xip ? xip.split(',') : [] };
}

export interface BatchResult {
  integrated: number;
  treeSize: number;
  /** More entries are waiting: run again at once. */
  more: boolean;
  memory: IntegratorMemory;
  /** The tiles the batch filled, lower levels first. */
  fullTiles: FullTile[];
}

export const BATCH_LIMIT = 1000;

/**
 * One integration batch, inside a REPEATABLE READ transaction the caller commits: takes the
 * committed queue entries not yet in the tree, gives them the next indexes, stores their leaf
 * hashes, the tiles that became full and a new signed checkpoint. Everything or nothing commits,
 * so a crash at any point leaves the log as it was; the unique queue id and index keep a second
 * integrator (which the election should prevent) from ever doubling an entry.
 *
 * Queued entries are found by transaction id, not by identity order (a later id can commit
 * first): every transaction older than the snapshot's xmin has finished, so once a batch has
 * taken all it could see, entries of those transactions are never looked at again.
 */
export async function integrateBatch(
  sql: Sql,
  signer: NoteSigner,
  memory: IntegratorMemory,
  limit = BATCH_LIMIT,
): Promise<BatchResult> {
  const latest = await latestCheckpoint(sql);
  if (!latest) {
    await storeCheckpoint(sql, signer, 0, emptyRoot(), '0');
    return { integrated: 0, treeSize: 0, more: true, memory: { edge: TreeEdge.empty(), horizon: '0' }, fullTiles: [] };
  }
  const remembered = memory.edge?.size === latest.size;
  if (!remembered) assertSignedBy(latest.note, signer);
  const edge = remembered && memory.edge ? memory.edge : await loadEdge(sql, latest);
  const horizon = remembered && memory.horizon ? memory.horizon : latest.horizon;

  const [{ current }] = await sql.query<{ current: string }>('SELECT pg_current_snapshot()::text AS current');
  const snapshot = parseSnapshot(current);
  const xmin = snapshot.xmin;
  const seen = remembered ? memory.seen : undefined;
  const queued = (await anyQueuedSince(sql, horizon, seen))
    ? await sql.query<{ id: string; entry: Buffer; xid: string }>(
        batchSql(seen),
        seen ? [maxXid(seen.xmax, horizon), seen.xip, horizon, limit] : [horizon, limit],
      )
    : [];
  const more = queued.length === limit;
  // Every entry still to integrate has an xid of at least the horizon: one of a transaction still
  // open in this snapshot is at least its xmin; one this snapshot sees but that did not fit in
  // the batch sorts after the batch's last. So with more to come the horizon moves up to the
  // smaller of those, and the next batch does not walk again through all it integrated (which
  // made integrating a backlog of n entries cost n² / 2 rows read).
  const nextHorizon = more ? minXid(xmin, queued[queued.length - 1]!.xid) : xmin;
  // Having taken all it sees, the batch's snapshot is one every queued entry visible in is
  // integrated; having left some, the one before still is.
  const nextSeen = more ? seen : snapshot;
  if (queued.length === 0) return { integrated: 0, treeSize: edge.size, more: false, memory: { edge, horizon: nextHorizon, seen: nextSeen }, fullTiles: [] };

  const leafHashes = queued.map((row) => hashLeaf(row.entry));
  const { edge: grown, fullTiles } = edge.extend(leafHashes);
  await sql.query(
    `INSERT INTO log_entries (idx, queue_id, leaf_hash)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])`,
    [queued.map((_, i) => edge.size + i), queued.map((row) => row.id), leafHashes.map(Buffer.from)],
  );
  if (fullTiles.length > 0) {
    await sql.query(
      `INSERT INTO log_tiles (level, idx, hashes, root, interior)
       SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[], $4::bytea[], $5::bytea[])`,
      [
        fullTiles.map((t) => t.level),
        fullTiles.map((t) => t.index),
        fullTiles.map((t) => Buffer.from(t.hashes)),
        fullTiles.map((t) => Buffer.from(t.root)),
        fullTiles.map((t) => Buffer.from(tileInterior(t.nodes))),
      ],
    );
  }
  await storeCheckpoint(sql, signer, grown.size, grown.root(), nextHorizon);
  return { integrated: queued.length, treeSize: grown.size, more, memory: { edge: grown, horizon: nextHorizon, seen: nextSeen }, fullTiles };
}

/**
 * The batch: the queue rows not yet integrated, at or above the horizon and, with a remembered
 * snapshot, that it did not see (written at or after its xmax, or by a transaction it saw
 * running), at most `limit` of them in (xid, id) order; each branch an index range or lookup on
 * log_queue (xid), whatever the planner knows. The horizon alone is the oldest transaction running anywhere on the server, in
 * any database: one left open for minutes elsewhere held it below every entry integrated since,
 * and each idle poll read them all again together with log_entries.
 */
function batchSql(seen: Snapshot | undefined): string {
  // OFFSET 0 keeps the check a probe of log_entries' queue_id index per queue row the index range
  // yields: as an anti join it was planned as a hash of all of log_entries, and without
  // statistics with a scan of all of log_queue too (a backlog of 10,000 read 2.3 million rows).
  const waiting = 'NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.queue_id = q.id OFFSET 0)';
  const columns = 'q.id, q.entry, q.xid::text AS xid, q.xid AS xid_order';
  if (!seen) return `SELECT ${columns} FROM log_queue q WHERE q.xid >= $1::xid8 AND ${waiting} ORDER BY q.xid, q.id LIMIT $2`;
  // With a snapshot, $1 is the larger of its xmax and the horizon, $3 the horizon: both bounds
  // hold, and the horizon is what moves up batch after batch through a backlog. Each branch in
  // index order with its own limit: a backlog's batch reads about its own rows, not all of them
  // (a UNION ALL ordered as a whole integrated 300,000 entries at 7,227 a second, 28,573 before).
  return `SELECT * FROM (
      (SELECT ${columns} FROM log_queue q WHERE q.xid >= $1::xid8 AND ${waiting} ORDER BY q.xid, q.id LIMIT $4)
      UNION ALL
      (SELECT ${columns} FROM log_queue q WHERE q.xid = ANY ($2::xid8[]) AND q.xid < $1::xid8 AND q.xid >= $3::xid8 AND ${waiting} ORDER BY q.xid, q.id LIMIT $4)
    ) q ORDER BY q.xid_order, q.id LIMIT $4`;
}

/**
 * Whether this snapshot sees any queue row that may still wait: on an idle log it sees none, and
 * the batch's scan is skipped. Asked in index order, so it costs the same whatever the planner
 * knows; the batch's own scan, on tables never analysed (autovacuum off, or a bulk load it has
 * not caught up with), is planned as a hash of the whole of log_entries in parallel workers,
 * which every idle poll repeated (71 % of both cores at 2,000,000 entries, bench/RESULTS.md).
 */
async function anyQueuedSince(sql: Sql, horizon: string, seen: Snapshot | undefined): Promise<boolean> {
  const probe = (where: string, params: unknown[]) => sql.query(`SELECT 1 FROM log_queue WHERE ${where} ORDER BY xid LIMIT 1`, params);
  if (!seen) return (await probe('xid >= $1::xid8', [horizon])).length > 0;
  if ((await probe('xid >= $1::xid8', [maxXid(seen.xmax, horizon)])).length > 0) return true;
  return seen.xip.length > 0 && (await probe('xid = ANY ($1::xid8[]) AND xid >= $2::xid8', [seen.xip, horizon])).length > 0;
}

function minXid(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? a : b;
}

function maxXid(a: string, b: string): string {
  return BigInt(a) > BigInt(b) ? a : b;
}

interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
  horizon: string;
}

export async function latestCheckpoint(sql: Sql): Promise<StoredCheckpoint | undefined> {
  const [row] = await sql.query<{ tree_size: string; root_hash: Buffer; note: string; horizon: string }>(
    'SELECT tree_size, root_hash, note, queue_horizon::text AS horizon FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1',
  );
  return row && { size: Number(row.tree_size), rootHash: new Uint8Array(row.root_hash), note: row.note, horizon: row.horizon };
}

/**
 * Refuses to extend a log whose last checkpoint this key did not sign (another instance with
 * another key, or a changed LOG_ORIGIN): the result would not verify.
 */
export function assertSignedBy(note: string, signer: NoteSigner): void {
  try {
    openCheckpoint(note, [signer], signer.name);
  } catch (error) {
    throw new LogIntegrityError(
      `The log's latest checkpoint was not signed by this instance's key (${signer.name}): ${(error as Error).message}. ` +
        'Every instance must use the same LOG_SIGNING_KEY.',
    );
  }
}

/** The right edge of the stored tree, checked against the signed root before it is extended. */
async function loadEdge(sql: Sql, latest: StoredCheckpoint): Promise<TreeEdge> {
  const starts = TreeEdge.partialStarts(latest.size);
  const widths = TreeEdge.partialWidths(latest.size);
  const partial: Uint8Array[][] = [];
  for (const [level, start] of starts.entries()) {
    const rows =
      level === 0
        ? await sql.query<{ hash: Buffer }>(
            'SELECT leaf_hash AS hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
            [start, start + widths[0]],
          )
        : await sql.query<{ hash: Buffer }>(
            'SELECT root AS hash FROM log_tiles WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
            [level - 1, start, start + widths[level]],
          );
    if (rows.length !== widths[level]) {
      throw new LogIntegrityError(
        `The log's storage is damaged: level ${level} holds ${rows.length} of the ${widths[level]} hashes its tree of ${latest.size} needs.`,
      );
    }
    partial.push(rows.map((row) => new Uint8Array(row.hash)));
  }
  const edge = TreeEdge.of(latest.size, partial);
  if (!Buffer.from(edge.root()).equals(latest.rootHash)) {
    throw new LogIntegrityError(
      `The log's storage is damaged: its tree of ${latest.size} entries no longer has the root of its signed checkpoint.`,
    );
  }
  return edge;
}

async function storeCheckpoint(sql: Sql, signer: NoteSigner, size: number, rootHash: Uint8Array, horizon: string): Promise<void> {
  const note = signCheckpoint({ origin: signer.name, size, rootHash }, [signer]);
  await sql.query('INSERT INTO log_checkpoints (tree_size, root_hash, note, queue_horizon) VALUES ($1, $2, $3, $4::xid8)', [
    size,
    Buffer.from(rootHash),
    note,
    horizon,
  ]);
}
