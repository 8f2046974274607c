import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Default deny: every route needs a valid bearer token unless marked @Public(). A public route
 * still authenticates a caller who sends a token (some show more to oversight), and refuses a
 * bad one rather than silently treating its sender as anonymous.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const open = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const sent = context.switchToHttp().getRequest<Request>().headers.authorization !== undefined;
    return open && !sent ? true : super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (!user) {
      const message = (info as { message?: string } | undefined)?.message ?? 'The token is invalid.';
      // RFC 6750 §3.1: no error code when no credentials were sent at all.
      const http = context.switchToHttp();
      const sent = http.getRequest<Request>().headers.authorization !== undefined;
      http.getResponse<Response>().setHeader('WWW-Authenticate', sent ? 'Bearer error="invalid_token"' : 'Bearer');
      throw new UnauthorizedException(message);
    }
    return user;
  }
}
