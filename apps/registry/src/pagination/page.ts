import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from '../http/problem.js';
import { HttpStatus } from '@nestjs/common';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** `?limit=&cursor=` as CONTRACT.md defines them for every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = DEFAULT_LIMIT;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the sort key of the last item served. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, shape: Array<'string' | 'number'>): unknown[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((v, i) => typeof v === shape[i])) {
      return key;
    }
  } catch {
    // reported below
  }
  throw new ProblemException(HttpStatus.BAD_REQUEST, 'invalid-cursor', 'The cursor is not one this service issued.', {
    errors: [{ field: 'cursor', message: 'cursor must be the nextCursor of a previous page' }],
  });
}

/** Fetch limit + 1 rows; if the extra one came back there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, key: (row: R) => unknown[]): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: items.map(view), nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}

/**
 * The condition for the page after `cursor` in a list ordered by (a timestamp column, id), oldest
 * first or, with `newestFirst`, newest first: the cursor is [the timestamp as text, the id] of
 * the last row served. Refused as any bad cursor is.
 */
export function afterTimeCursor(cursor: string, column: string, param: (value: unknown) => string, newestFirst = false): string {
  const [at, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!UUID.test(id) || Number.isNaN(Date.parse(at))) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'validation', 'The request is invalid: check cursor.', {
      errors: [{ field: 'cursor', message: 'cursor must be the nextCursor of a previous page' }],
    });
  }
  const idColumn = column.includes('.') ? `${column.split('.')[0]}.id` : 'id';
  return `(${column}, ${idColumn}) ${newestFirst ? '<' : '>'} (${param(at)}::timestamptz, ${param(id)}::uuid)`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
