import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config.js';
import { DevIssuer } from './dev-issuer.js';
import { Public } from './public.decorator.js';

/**
 * The development issuer's public key, so that `npm run token` can tell whether the service it
 * mints for signs with the same key (a token of another DATA_DIR's key is refused with 401).
 * Only while the development issuer is on; with an external provider this route does not exist.
 */
@ApiTags('auth')
@Controller('api/v1/dev-issuer')
@Public()
export class DevIssuerController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'The development issuer: its issuer, audience and public key (development only)' })
  @ApiOkResponse({ description: '{issuer, audience, keys: [JWK]}' })
  @ApiNotFoundResponse({ description: 'An external OpenID Connect provider is configured' })
  async describe(): Promise<{ issuer: string; audience: string; keys: object[] }> {
    if (this.config.auth.mode !== 'development') throw new NotFoundException('The development issuer is off: tokens come from the OpenID Connect provider.');
    const issuer = await DevIssuer.loadOrCreate(this.config.dataDir);
    return { issuer: this.config.auth.issuer, audience: this.config.auth.audience, keys: [issuer.publicJwk] };
  }
}
