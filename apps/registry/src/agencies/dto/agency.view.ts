import { ApiProperty } from '@nestjs/swagger';
import { contentHash } from '../../log/log-entry.js';
import type { LogPosition } from '../../log/log-store.js';
import { AGENCY_KINDS, type Agency, type AgencyKind } from '../agency.entity.js';

export class LogPositionView {
  @ApiProperty() index: number;
  @ApiProperty({ description: 'Base64 RFC 9162 leaf hash of the entry' }) leafHash: string;
}

/** What of an agency the log vouches for: `publicContentHash` is the digest of exactly this. */
export function agencyPublicContent(agency: Pick<Agency, 'id' | 'name' | 'country' | 'kind'>) {
  return { id: agency.id, name: agency.name, country: agency.country, kind: agency.kind };
}

/** An agency as the API shows it (agencies are public records). */
export class AgencyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'CR' }) country: string;
  @ApiProperty({ enum: AGENCY_KINDS }) kind: AgencyKind;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    description: 'Hex SHA-256 of the RFC 8785 canonical JSON of {id, name, country, kind}, as logged',
  })
  publicContentHash: string;
  @ApiProperty({
    type: LogPositionView,
    nullable: true,
    description: 'The log entry that recorded this state; null for the moment it waits to be integrated',
  })
  log: LogPositionView | null;

  static of(agency: Agency, log: LogPosition | null = null): AgencyView {
    return {
      id: agency.id,
      name: agency.name,
      country: agency.country,
      kind: agency.kind,
      createdAt: agency.createdAt.toISOString(),
      updatedAt: agency.updatedAt.toISOString(),
      publicContentHash: contentHash(agencyPublicContent(agency)),
      log,
    };
  }
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyView] }) items: AgencyView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page' })
  nextCursor: string | null;
}
