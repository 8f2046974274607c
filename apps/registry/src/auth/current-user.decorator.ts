import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, AuthUser } from './auth-user.js';

/** The authenticated caller and the id of this request, as a write records them in the log. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request>();
  return { ...(request.user as AuthUser), requestId: String(request.id) };
});

/** On a @Public() route: the caller if a valid token was sent, otherwise undefined. */
export const OptionalUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | undefined =>
    context.switchToHttp().getRequest<Request>().user as AuthUser | undefined,
);
