import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  consistencyProof,
  consistencyProofSubtrees,
  encodeBase64,
  encodeEntryBundle,
  hashAtFromTileNodes,
  inclusionProof,
  inclusionProofSubtrees,
  type Subtree,
  TILE_WIDTH,
  type TileCoord,
  tileNodes,
  type TileNodes,
  tileKey,
  tileNodesWithInterior,
  tilePath,
  tilesForSubtrees,
} from '@custodia/tlog';
import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { ProblemException } from '../http/problem.js';

// The tiles proofs were computed from, by tileKey, each with the hashes of the subtrees inside it
// (tileNodes). A tile of a given width never changes (the log only grows, and a partial tile's
// key names its width), so a proof asked again, or one that shares the upper tiles of every
// proof of its tree size, needs no database read and no hashing. 64 MiB holds the level-0 tiles
// of about a million entries (16 kB each with their interior).
const PROOF_TILES_BYTES = 64 * 1_048_576;

export interface SignedCheckpoint {
  size: number;
  note: string;
}

/** Where a record's entry sits in the log (leafHash in base64, as proofs give hashes). */
export interface LogPosition {
  index: number;
  leafHash: string;
}

export interface StoredEntry {
  index: number;
  queueId: string;
  leafHash: Buffer;
  entry: Buffer;
  public: boolean;
}

/** Reads the integrated log: checkpoints, tiles, entries and proofs, as the integrator stored them. */
@Injectable()
export class LogStore {
  private readonly proofTiles = new LRUCache<string, TileNodes>({
    maxSize: PROOF_TILES_BYTES,
    sizeCalculation: (nodes) => nodes.reduce((bytes, level) => bytes + level.length + 64, 64),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The latest signed checkpoint; 503 in the moment before the integrator has written one. */
  async checkpoint(): Promise<SignedCheckpoint> {
    const [row] = await this.dataSource.query<Array<{ tree_size: string; note: string }>>(
      'SELECT tree_size, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    if (!row) {
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'log-starting', 'The log has no checkpoint yet; try again in a second.');
    }
    return { size: Number(row.tree_size), note: row.note };
  }

  /** When the latest checkpoint was signed, with its size (the console's view of the log's state). */
  async latestCheckpointTime(): Promise<{ size: number; signedAt: string } | undefined> {
    const [row] = await this.dataSource.query<Array<{ tree_size: string; created_at: Date }>>(
      'SELECT tree_size, created_at FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return row ? { size: Number(row.tree_size), signedAt: row.created_at.toISOString() } : undefined;
  }

  /**
   * The latest checkpoint with the witnesses' cosignatures it has so far, as extra signature
   * lines (C2SP tlog-cosignature): clients that know no witness read it as before.
   */
  async witnessedCheckpoint(): Promise<SignedCheckpoint> {
    const [row] = await this.dataSource.query<Array<{ tree_size: string; note: string }>>(
      `SELECT c.tree_size, c.note || coalesce((SELECT string_agg(s.line, '' ORDER BY s.witness) FROM log_cosignatures s WHERE s.tree_size = c.tree_size), '') AS note
         FROM (SELECT tree_size, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1) c`,
    );
    if (!row) {
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'log-starting', 'The log has no checkpoint yet; try again in a second.');
    }
    return { size: Number(row.tree_size), note: row.note };
  }

  /**
   * A hash tile as it is in a tree of `treeSize`: full tiles are stored; a partial one is read
   * from the level below (leaf hashes, or the roots of the full tiles there). Undefined when the
   * tree does not reach that far.
   */
  async tile(tile: TileCoord, treeSize: number): Promise<Buffer | undefined> {
    const available = Math.floor(treeSize / TILE_WIDTH ** tile.level);
    if (tile.index * TILE_WIDTH + tile.width > available) return undefined;
    const full = await this.storedTile(tile, false);
    return full ? full.hashes.subarray(0, tile.width * 32) : this.tileFromBelow(tile);
  }

  /** The full tile stored at the tile's level and index, with its interior when asked and stored. */
  private async storedTile(tile: TileCoord, withInterior: boolean): Promise<{ hashes: Buffer; interior?: Buffer | null } | undefined> {
    const [full] = await this.dataSource.query<Array<{ hashes: Buffer; interior?: Buffer | null }>>(
      `SELECT hashes${withInterior ? ', interior' : ''} FROM log_tiles WHERE level = $1 AND idx = $2`,
      [tile.level, tile.index],
    );
    return full;
  }

  /** A tile not stored: the leaf hashes, or the roots of the full tiles one level down. */
  private async tileFromBelow(tile: TileCoord): Promise<Buffer> {
    const start = tile.index * TILE_WIDTH;
    const rows =
      tile.level === 0
        ? await this.dataSource.query<Array<{ hash: Buffer }>>(
            'SELECT leaf_hash AS hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
            [start, start + tile.width],
          )
        : await this.dataSource.query<Array<{ hash: Buffer }>>(
            'SELECT root AS hash FROM log_tiles WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
            [tile.level - 1, start, start + tile.width],
          );
    if (rows.length !== tile.width) throw damaged(`tile ${tilePath(tile)} has ${rows.length} of its ${tile.width} hashes`);
    return Buffer.concat(rows.map((row) => row.hash));
  }

  /**
   * A C2SP entry bundle: the exact bytes of entries [256N, 256N + width). What is stored is
   * served as it is, so that a verifier finds and names any entry missing or changed.
   */
  async entryBundle(index: number, width: number, treeSize: number): Promise<Buffer | undefined> {
    const start = index * TILE_WIDTH;
    if (start + width > treeSize) return undefined;
    const rows = await this.dataSource.query<Array<{ entry: Buffer }>>(
      `SELECT q.entry FROM log_entries e JOIN log_queue q ON q.id = e.queue_id
        WHERE e.idx >= $1 AND e.idx < $2 ORDER BY e.idx LIMIT $3`,
      // The LIMIT says how few rows these are: on tables not yet analysed the planner took the
      // range for thousands and gathered them with parallel workers (6.6 ms against 0.6 ms).
      [start, start + width, width],
    );
    return Buffer.from(encodeEntryBundle(rows.map((row) => row.entry)));
  }

  async entry(index: number): Promise<StoredEntry | undefined> {
    const rows = await this.entryRows('e.idx = $1', [index], 1);
    return rows[0];
  }

  /** Integrated entries from index `from` on, optionally only those about one record. */
  async entries(options: { from: number; limit: number; subjectId?: string }): Promise<StoredEntry[]> {
    return options.subjectId
      ? this.entryRows('e.idx >= $1 AND q.subject_id = $2', [options.from, options.subjectId], options.limit)
      : this.entryRows('e.idx >= $1', [options.from], options.limit);
  }

  /**
   * For each record, the log entry that recorded its current state (its latest entry): index and
   * leaf hash, or null while that entry waits for the integrator.
   */
  async latestEntries(subjectIds: string[]): Promise<Map<string, LogPosition | null>> {
    if (subjectIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ subject_id: string; idx: string | null; leaf_hash: Buffer | null }>>(
      `SELECT DISTINCT ON (q.subject_id) q.subject_id, e.idx, e.leaf_hash
         FROM log_queue q LEFT JOIN log_entries e ON e.queue_id = q.id
        WHERE q.subject_id = ANY($1::uuid[]) ORDER BY q.subject_id, q.id DESC`,
      [subjectIds],
    );
    return new Map(
      rows.map((row) => [
        row.subject_id,
        row.idx === null || !row.leaf_hash ? null : { index: Number(row.idx), leafHash: encodeBase64(row.leaf_hash) },
      ]),
    );
  }

  /** Where a queued entry went: its index once integrated. */
  async queued(queueId: string): Promise<{ queueId: string; index: number | null; public: boolean } | undefined> {
    const [row] = await this.dataSource.query<Array<{ id: string; idx: string | null; public: boolean }>>(
      'SELECT q.id, e.idx, q.public FROM log_queue q LEFT JOIN log_entries e ON e.queue_id = q.id WHERE q.id = $1',
      [queueId],
    );
    return row && { queueId: row.id, index: row.idx === null ? null : Number(row.idx), public: row.public };
  }

  /** Keeps full tiles just written by this instance's integrator (after their commit) for proofs. */
  keepProofTiles(tiles: ReadonlyArray<{ level: number; index: number; nodes: TileNodes }>): void {
    for (const { level, index, nodes } of tiles) this.proofTiles.set(tileKey({ level, index, width: TILE_WIDTH }), nodes);
  }

  /**
   * RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `treeSize` leaves, with the
   * leaf's hash: both from the tiles, so a proof whose tiles are kept reads nothing.
   */
  async inclusionProof(index: number, treeSize: number): Promise<{ leafHash: Uint8Array; hashes: Uint8Array[] }> {
    const hashAt = await this.hashAt([{ level: 0, index }, ...inclusionProofSubtrees(index, treeSize)], treeSize);
    return { leafHash: hashAt(0, index), hashes: inclusionProof(index, treeSize, hashAt) };
  }

  /** RFC 9162 §2.1.4.1 consistency proof between trees of `from` and `to` leaves. */
  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    const hashAt = await this.hashAt(consistencyProofSubtrees(from, to), to);
    return consistencyProof(from, to, hashAt);
  }

  private async hashAt(subtrees: Subtree[], treeSize: number) {
    // Those not kept are read side by side: a proof needs a few tiles, each one query.
    const read = await Promise.all(
      tilesForSubtrees(subtrees, treeSize).map(async (tile): Promise<[string, TileNodes]> => {
        const key = tileKey(tile);
        const kept = this.proofTiles.get(key);
        if (kept) return [key, kept];
        const nodes = await this.readTileNodes(tile, treeSize);
        this.proofTiles.set(key, nodes);
        return [key, nodes];
      }),
    );
    const tiles = new Map(read);
    return hashAtFromTileNodes(treeSize, (tile) => tiles.get(tileKey(tile)));
  }

  /** A tile's TileNodes: a full tile's from its stored interior when it has one, others hashed from the tile. */
  private async readTileNodes(tile: TileCoord, treeSize: number): Promise<TileNodes> {
    if (tile.width === TILE_WIDTH) {
      const full = await this.storedTile(tile, true);
      if (full?.interior) return tileNodesWithInterior(full.hashes, full.interior);
      return tileNodes(full ? full.hashes : await this.tileFromBelow(tile));
    }
    const data = await this.tile(tile, treeSize);
    if (!data) throw damaged(`tile ${tilePath(tile)} is missing`);
    return tileNodes(data);
  }

  private async entryRows(where: string, params: unknown[], limit: number): Promise<StoredEntry[]> {
    const rows = await this.dataSource.query<
      Array<{ idx: string; queue_id: string; leaf_hash: Buffer; entry: Buffer; public: boolean }>
    >(
      `SELECT e.idx, e.queue_id, e.leaf_hash, q.entry, q.public
         FROM log_entries e JOIN log_queue q ON q.id = e.queue_id
        WHERE ${where} ORDER BY e.idx LIMIT ${Number(limit)}`,
      params,
    );
    return rows.map((row) => ({
      index: Number(row.idx),
      queueId: row.queue_id,
      leafHash: row.leaf_hash,
      entry: row.entry,
      public: row.public,
    }));
  }
}

function damaged(what: string): ProblemException {
  return new ProblemException(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'log-storage-damaged',
    `The log's storage is damaged: ${what}. The operators have been told; an independent verifier will name the entry.`,
  );
}
