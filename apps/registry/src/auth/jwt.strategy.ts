import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AuthUser } from './auth-user.js';
import { BearerTokenStrategy } from './bearer.strategy.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  // Called by @nestjs/passport with the raw token; `false` plus a message means 401.
  async validate(token: string): Promise<AuthUser | [false, { message: string }]> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return [false, { message: error.message }];
      throw error;
    }
  }
}
