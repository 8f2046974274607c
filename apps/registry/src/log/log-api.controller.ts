import { Controller, Get, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { encodeBase64 } from '@custodia/tlog';
import type { AuthUser } from '../auth/auth-user.js';
import { OptionalUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ProblemException, ValidationProblem } from '../http/problem.js';
import { decodeCursor, encodeCursor } from '../pagination/page.js';
import {
  ConsistencyProofQuery,
  ConsistencyProofView,
  InclusionProofQuery,
  InclusionProofView,
  ListEntriesQuery,
  LogEntryPage,
  LogEntryView,
  LogKeyView,
  QueuedEntryView,
} from './dto/log.dto.js';
import { LogSigning } from './log-signing.service.js';
import { LogStore, type StoredEntry } from './log-store.js';

@ApiTags('log')
@Controller('api/v1/log')
export class LogApiController {
  // The largest tree size a checkpoint was seen at. Trees only grow, so a proof asked for a size
  // up to it needs no read of the latest checkpoint: one database round trip less.
  private checkpointedSize = 0;

  constructor(
    private readonly store: LogStore,
    private readonly signing: LogSigning,
  ) {}

  /** The latest checkpoint's tree size, or the size asked for when a checkpoint of it was already seen. */
  private async latestSize(asked: number | undefined): Promise<number> {
    if (asked !== undefined && asked <= this.checkpointedSize) return asked;
    const { size } = await this.store.checkpoint();
    this.checkpointedSize = Math.max(this.checkpointedSize, size);
    return size;
  }

  @Get('key')
  @Public()
  @ApiOkResponse({ type: LogKeyView })
  @ApiOperation({ summary: "The checkpoints' signed-note verifier key, to pin in a verifier" })
  key(): LogKeyView {
    const { signer, verifierKey } = this.signing.key;
    return { origin: signer.name, verifierKey };
  }

  @Get('entries')
  @Roles('oversight')
  @ApiBearerAuth()
  @ApiOkResponse({ type: LogEntryPage })
  @ApiOperation({ summary: 'Integrated entries in log order, optionally only those about one record (oversight)' })
  async list(@Query() query: ListEntriesQuery): Promise<LogEntryPage> {
    const from = query.cursor ? (decodeCursor(query.cursor, ['number'])[0] as number) : (query.from ?? 0);
    const rows = await this.store.entries({ from, limit: query.limit + 1, subjectId: query.subjectId });
    const items = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return { items: items.map(entryView), nextCursor: more ? encodeCursor([items[items.length - 1].index + 1]) : null };
  }

  @Get('entries/:index')
  @Public()
  @ApiOkResponse({ type: LogEntryView })
  @ApiOperation({ summary: 'One entry: public when it is about a public record, otherwise oversight only (404)' })
  async entry(@Param('index') indexText: string, @OptionalUser() user?: AuthUser): Promise<LogEntryView> {
    const index = parseIndex(indexText);
    const entry = await this.store.entry(index);
    if (!entry || !(entry.public || user?.roles.includes('oversight'))) {
      throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', `There is no log entry ${index} that you may read.`);
    }
    return entryView(entry);
  }

  @Get('queue/:queueId')
  @ApiBearerAuth()
  @ApiOkResponse({ type: QueuedEntryView })
  @ApiOperation({ summary: 'Where the entry given as X-Log-Entry went: its index once integrated' })
  async queued(@Param('queueId') queueIdText: string): Promise<QueuedEntryView> {
    if (!/^[1-9][0-9]{0,17}$/.test(queueIdText)) {
      throw new ValidationProblem([{ field: 'queueId', message: 'queueId must be the X-Log-Entry value of a write' }]);
    }
    const queued = await this.store.queued(queueIdText);
    if (!queued) throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', `Nothing was queued as ${queueIdText}.`);
    return { queueId: queued.queueId, index: queued.index };
  }

  @Get('proofs/inclusion')
  @Public()
  @ApiOkResponse({ type: InclusionProofView })
  @ApiOperation({ summary: 'RFC 9162 §2.1.3 inclusion proof of an entry in a tree size' })
  async inclusion(@Query() query: InclusionProofQuery): Promise<InclusionProofView> {
    const size = await this.latestSize(query.treeSize);
    const treeSize = query.treeSize ?? size;
    if (treeSize > size) throw beyond('treeSize', treeSize, size);
    if (query.index >= treeSize) {
      throw new ValidationProblem([{ field: 'index', message: `index must be below treeSize (${treeSize})` }]);
    }
    const { leafHash, hashes } = await this.store.inclusionProof(query.index, treeSize);
    return { index: query.index, treeSize, leafHash: encodeBase64(leafHash), hashes: hashes.map(encodeBase64) };
  }

  @Get('proofs/consistency')
  @Public()
  @ApiOkResponse({ type: ConsistencyProofView })
  @ApiOperation({ summary: 'RFC 9162 §2.1.4 consistency proof between two tree sizes' })
  async consistency(@Query() query: ConsistencyProofQuery): Promise<ConsistencyProofView> {
    const size = await this.latestSize(query.to);
    const to = query.to ?? size;
    if (to > size) throw beyond('to', to, size);
    if (query.from > to) throw new ValidationProblem([{ field: 'from', message: `from must not exceed to (${to})` }]);
    const hashes = await this.store.consistencyProof(query.from, to);
    return { from: query.from, to, hashes: hashes.map(encodeBase64) };
  }
}

export function entryView(entry: StoredEntry): LogEntryView {
  return {
    index: entry.index,
    leafHash: encodeBase64(entry.leafHash),
    entry: entry.entry.toString('base64'),
    decoded: JSON.parse(entry.entry.toString('utf8')) as Record<string, unknown>,
    queueId: entry.queueId,
  };
}

function parseIndex(text: string): number {
  const index = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(index)) {
    throw new ValidationProblem([{ field: 'index', message: 'index must be a whole number, 0 or more' }]);
  }
  return index;
}

function beyond(field: string, value: number, size: number): ValidationProblem {
  return new ValidationProblem([
    { field, message: `${field} ${value} is beyond the latest checkpoint (tree size ${size}); fetch /log/checkpoint` },
  ]);
}
