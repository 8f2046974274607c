import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';

const MAX_INDEX = Number.MAX_SAFE_INTEGER;

/** A log position in a query string: a whole number, 0 or more. */
function LogNumber(min: number, name: string) {
  return function (target: object, key: string) {
    Type(() => Number)(target, key);
    IsInt({ message: `${name} must be a whole number` })(target, key);
    Min(min, { message: `${name} must be at least ${min}` })(target, key);
    Max(MAX_INDEX, { message: `${name} is too large` })(target, key);
  };
}

export class InclusionProofQuery {
  @ApiProperty({ minimum: 0, description: 'Index of the entry' })
  @LogNumber(0, 'index')
  index: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Size of the tree to prove against; default: the latest checkpoint' })
  @IsOptional()
  @LogNumber(1, 'treeSize')
  treeSize?: number;
}

export class ConsistencyProofQuery {
  @ApiProperty({ minimum: 1, description: 'The older tree size (a size-0 tree has no consistency proof)' })
  @LogNumber(1, 'from')
  from: number;

  @ApiPropertyOptional({ minimum: 1, description: 'The newer tree size; default: the latest checkpoint' })
  @IsOptional()
  @LogNumber(1, 'to')
  to?: number;
}

export class ListEntriesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only entries about this record' })
  @IsOptional()
  @IsUUID('all', { message: 'subjectId must be a UUID' })
  subjectId?: string;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'First log index to return' })
  @IsOptional()
  @LogNumber(0, 'from')
  from?: number;
}

export class LogKeyView {
  @ApiProperty({ example: 'custodia.localhost/log' }) origin: string;
  @ApiProperty({ description: 'C2SP signed-note verifier key: <name>+<hex key ID>+<base64(0x01 ‖ Ed25519 public key)>' })
  verifierKey: string;
}

export class LogEntryView {
  @ApiProperty() index: number;
  @ApiProperty({ description: 'Base64 of SHA-256(0x00 ‖ entry bytes), RFC 9162 §2.1.1' }) leafHash: string;
  @ApiProperty({ description: 'Base64 of the exact bytes that were hashed (RFC 8785 canonical JSON)' }) entry: string;
  @ApiProperty({ description: 'The entry parsed, for reading; verify against `entry`, never this' })
  decoded: Record<string, unknown>;
  @ApiProperty({ description: 'The queue id the writer was given as X-Log-Entry' }) queueId: string;
}

export class LogEntryPage {
  @ApiProperty({ type: [LogEntryView] }) items: LogEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class QueuedEntryView {
  @ApiProperty() queueId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Null while the entry waits for the integrator' })
  index: number | null;
}

export class InclusionProofView {
  @ApiProperty() index: number;
  @ApiProperty() treeSize: number;
  @ApiProperty({ description: 'Base64 leaf hash' }) leafHash: string;
  @ApiProperty({ type: [String], description: 'Base64 hashes, RFC 9162 §2.1.3.1 order' }) hashes: string[];
}

export class ConsistencyProofView {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty({ type: [String], description: 'Base64 hashes, RFC 9162 §2.1.4.1 order' }) hashes: string[];
}
