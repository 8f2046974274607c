import type { Request } from 'express';
import passport from 'passport';
import { ExtractJwt } from 'passport-jwt';

type Done = (error: unknown, user?: unknown, info?: unknown) => void;
type VerifyCallback = (token: string, request: Request, done: Done) => void;

const extractBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt's flow (bearer extraction, verify callback) with the signature check left to the
 * verify callback: passport-jwt's own verifier (jsonwebtoken) has no EdDSA, which we must accept.
 */
export class BearerTokenStrategy extends passport.Strategy {
  override name = 'jwt';

  constructor(private readonly verify: VerifyCallback) {
    super();
  }

  override authenticate(request: Request): void {
    const token = extractBearer(request);
    if (!token) {
      this.fail({ message: 'A bearer token is required.' }, 401);
      return;
    }
    this.verify(token, request, (error, user, info) => {
      if (error) this.error(error);
      else if (!user) this.fail(info ?? { message: 'The token is invalid.' }, 401);
      else this.success(user);
    });
  }
}
