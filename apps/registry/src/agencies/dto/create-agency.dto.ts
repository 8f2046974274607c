import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsString, Length } from 'class-validator';
import { AGENCY_KINDS, type AgencyKind } from '../agency.entity.js';

export class CreateAgencyDto {
  @ApiProperty({ example: 'Policía Nacional de Costa Rica', minLength: 1, maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'CR', description: 'ISO 3166-1 alpha-2 country code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as CR or ES' })
  country: string;

  @ApiProperty({ enum: AGENCY_KINDS })
  @IsIn(AGENCY_KINDS, { message: `kind must be one of ${AGENCY_KINDS.join(', ')}` })
  kind: AgencyKind;
}

/**
 * A correction or a renaming (ministries are renamed): name and kind. The country stays, since
 * the references of the agency's tools carry it.
 */
export class UpdateAgencyDto {
  @ApiProperty({ example: 'Ministerio de Justicia y Paz', minLength: 1, maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: AGENCY_KINDS })
  @IsIn(AGENCY_KINDS, { message: `kind must be one of ${AGENCY_KINDS.join(', ')}` })
  kind: AgencyKind;
}
