import { ApiProperty } from '@nestjs/swagger';
import { AGENCY_KINDS, type Agency, type AgencyKind } from '../agency.entity.js';

/** An agency as the API shows it (agencies are public records). */
export class AgencyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'CR' }) country: string;
  @ApiProperty({ enum: AGENCY_KINDS }) kind: AgencyKind;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(agency: Agency): AgencyView {
    return {
      id: agency.id,
      name: agency.name,
      country: agency.country,
      kind: agency.kind,
      createdAt: agency.createdAt.toISOString(),
      updatedAt: agency.updatedAt.toISOString(),
    };
  }
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyView] }) items: AgencyView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page' })
  nextCursor: string | null;
}
