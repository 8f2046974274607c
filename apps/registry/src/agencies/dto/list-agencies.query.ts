import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsOptional } from 'class-validator';
import { PageQuery } from '../../pagination/page.js';
import { AGENCY_KINDS, type AgencyKind } from '../agency.entity.js';

export class ListAgenciesQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'CR' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as CR or ES' })
  country?: string;

  @ApiPropertyOptional({ enum: AGENCY_KINDS })
  @IsOptional()
  @IsIn(AGENCY_KINDS, { message: `kind must be one of ${AGENCY_KINDS.join(', ')}` })
  kind?: AgencyKind;
}
