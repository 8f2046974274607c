import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AGENCY_KINDS } from '../../agencies/agency.entity.js';
import { ANNEX_III_POINTS, CRIME_AREAS, LIFECYCLES, RISK_CLASSES } from '../../declarations/schema/declaration.schema.js';
import { PageQuery } from '../../pagination/page.js';

const oneOf = (name: string, values: readonly string[]) => IsIn(values, { message: `${name} must be one of ${values.join(', ')}` });

/** The public search filters (CONTRACT.md "Public view"), shared by the API and the portal. */
export class PublicToolFilter {
  @ApiPropertyOptional({ description: 'Words in the name, description, purpose, reference, provider or agency' })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ example: 'CR', description: 'Country of the declaring agency (ISO 3166-1 alpha-2)' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter country code such as CR' })
  country?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId?: string;

  @ApiPropertyOptional({ enum: AGENCY_KINDS })
  @IsOptional()
  @oneOf('agencyKind', AGENCY_KINDS)
  agencyKind?: string;

  @ApiPropertyOptional({ enum: RISK_CLASSES })
  @IsOptional()
  @oneOf('riskClass', RISK_CLASSES)
  riskClass?: string;

  @ApiPropertyOptional({ enum: ANNEX_III_POINTS, description: 'AI Act Annex III point, e.g. 6(d)' })
  @IsOptional()
  @oneOf('annexIII', ANNEX_III_POINTS)
  annexIII?: string;

  @ApiPropertyOptional({ enum: LIFECYCLES })
  @IsOptional()
  @oneOf('lifecycle', LIFECYCLES)
  lifecycle?: string;

  @ApiPropertyOptional({ enum: CRIME_AREAS })
  @IsOptional()
  @oneOf('crimeArea', CRIME_AREAS)
  crimeArea?: string;
}

export const FILTER_NAMES = ['q', 'country', 'agencyId', 'agencyKind', 'riskClass', 'annexIII', 'lifecycle', 'crimeArea'] as const;

/** `GET /api/v1/public/tools`: the filters and `?limit=&cursor=`. */
export class PublicToolsQuery extends IntersectionType(PageQuery, PublicToolFilter) {}
