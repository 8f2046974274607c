import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, MaxLength, MinLength } from 'class-validator';

export const AUTHORISATION_STATUSES = ['pending', 'granted', 'refused', 'revoked', 'expired'] as const;
export type AuthorisationStatus = (typeof AUTHORISATION_STATUSES)[number];

export class CreateAuthorisationDto {
  @ApiProperty({ description: 'The authorisation (urn:custodia:schema:authorisation:1)' })
  @IsObject({ message: 'content must be an object' })
  content: Record<string, unknown>;
}

export class RevokeAuthorisationDto {
  @ApiProperty()
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(4000)
  reason: string;
}

export class AuthorisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ enum: AUTHORISATION_STATUSES }) status: AuthorisationStatus;
  @ApiProperty({ description: 'Whether it is granted and today is within its validity window' }) valid: boolean;
  @ApiProperty() content: Record<string, unknown>;
  @ApiProperty() authorId: string;
  @ApiProperty({ nullable: true, type: String }) revocationReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
}
