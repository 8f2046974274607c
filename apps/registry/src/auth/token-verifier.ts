import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { AppConfig } from '../config/app-config.js';
import { AGENCY_ROLES, type AuthUser, ROLES, type Role } from './auth-user.js';
import { DevIssuer } from './dev-issuer.js';

// Asymmetric algorithms only: `none` and HMAC (e.g. HS256 signed with a public key) never pass.
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
// RFC 9068 access tokens and plain JWTs; media types compare case-insensitively (RFC 7515 §4.1.9).
const TOKEN_TYPES = ['jwt', 'at+jwt', 'application/at+jwt', 'application/jwt'];
const MAX_TOKEN_LENGTH = 16_384;

export class InvalidTokenError extends Error {}

/** Verifies bearer tokens with jose against the development issuer's key or an OIDC JWKS. */
@Injectable()
export class TokenVerifier {
  private keys?: Promise<JWTVerifyGetKey>;
  // What each request's token verified to: the public rate limits (which do not count callers
  // with a valid token) and the guard both ask, and the signature is checked once.
  private readonly byRequest = new WeakMap<object, { token: string; user: Promise<AuthUser> }>();

  constructor(private readonly config: AppConfig) {}

  /** verify(token), once per request however often it is asked for the same token. */
  verifyFor(request: object, token: string): Promise<AuthUser> {
    const known = this.byRequest.get(request);
    if (known?.token === token) return known.user;
    const user = this.verify(token);
    this.byRequest.set(request, { token, user });
    return user;
  }

  async verify(token: string): Promise<AuthUser> {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('The token is too large.');
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, await this.keySet(), {
        algorithms: ALGORITHMS,
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      const typ = verified.protectedHeader.typ;
      if (typ !== undefined && !TOKEN_TYPES.includes(typ.toLowerCase())) {
        throw new InvalidTokenError('The token type is not an access token.');
      }
      payload = verified.payload;
    } catch (error) {
      throw new InvalidTokenError(describe(error, this.config));
    }
    return this.userFrom(payload);
  }

  private userFrom(payload: JWTPayload): AuthUser {
    // The subject is written into the append-only log: it must be a plain, bounded string.
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
      throw new InvalidTokenError('The token\'s "sub" claim must be a non-empty string.');
    }
    const roles = readPath(payload, this.config.auth.rolesClaim);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
      throw new InvalidTokenError(`The token has no "${this.config.auth.rolesClaim}" list of roles.`);
    }
    // Roles that Custodia does not know (e.g. Keycloak's defaults) are ignored.
    const known = roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const user: AuthUser = { id: payload.sub!, roles: [...new Set(known)] };
    if (known.some((r) => AGENCY_ROLES.includes(r))) {
      const agencyId = readPath(payload, this.config.auth.agencyClaim);
      if (typeof agencyId !== 'string' || !isUUID(agencyId)) {
        throw new InvalidTokenError(`Agency roles need the "${this.config.auth.agencyClaim}" claim with an agency id.`);
      }
      user.agencyId = agencyId.toLowerCase();
    }
    return user;
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.loadKeySet();
    return this.keys;
  }

  private async loadKeySet(): Promise<JWTVerifyGetKey> {
    const { jwksUrl } = this.config.auth;
    if (jwksUrl) return createRemoteJWKSet(new URL(jwksUrl));
    const issuer = await DevIssuer.loadOrCreate(this.config.dataDir);
    return createLocalJWKSet({ keys: [issuer.publicJwk] });
  }
}

function describe(error: unknown, config: AppConfig): string {
  if (error instanceof InvalidTokenError) return error.message;
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not accepted.';
  if (error instanceof errors.JWKSNoMatchingKey) return unknownKey(config);
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  return 'The token is malformed or cannot be verified.';
}

/** Where this service's tokens come from, for a token signed with a key it does not know. */
function unknownKey(config: AppConfig): string {
  if (config.auth.mode === 'oidc') {
    return `The token is signed with a key that the identity provider does not publish: get a new token from ${config.auth.issuer}.`;
  }
  return 'The token is signed with a key this service does not know. Its development tokens come from ' +
    '`npm run -s token`, run with the DATA_DIR (and .env) this service was started with; a token minted for another DATA_DIR is refused.';
}

function readPath(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    return Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }, payload);
}
