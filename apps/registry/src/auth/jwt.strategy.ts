import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { AuthUser } from './auth-user.js';
import { BearerTokenStrategy } from './bearer.strategy.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  // Called by @nestjs/passport with the raw token and its request; `false` plus a message means 401.
  async validate(token: string, request: Request): Promise<AuthUser | [false, { message: string }]> {
    try {
      return await this.verifier.verifyFor(request, token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return [false, { message: error.message }];
      throw error;
    }
  }
}
