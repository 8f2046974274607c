import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { AppConfig } from '../config/app-config.js';
import type { Role } from './auth-user.js';

const ALG = 'ES256';

export interface DevTokenRequest {
  roles: Role[];
  agencyId?: string;
  sub?: string;
  ttlSeconds?: number;
}

/**
 * The built-in development issuer: an ES256 key made on first use and kept in the data folder,
 * so that people trying Custodia can mint tokens without an identity provider.
 */
export class DevIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwk: JWK,
  ) {}

  static keyPath(dataDir: string): string {
    return join(dataDir, 'dev-issuer', 'signing-key.jwk.json');
  }

  /** The key the service in `dataDir` signs with, or undefined when no service made one there. */
  static load(dataDir: string): DevIssuer | undefined {
    const path = DevIssuer.keyPath(dataDir);
    return existsSync(path) ? DevIssuer.fromFile(path) : undefined;
  }

  static async loadOrCreate(dataDir: string): Promise<DevIssuer> {
    const path = DevIssuer.keyPath(dataDir);
    if (!existsSync(path)) {
      const { privateKey } = await generateKeyPair(ALG, { extractable: true });
      const jwk = await exportJWK(privateKey);
      jwk.kid = await calculateJwkThumbprint(jwk);
      jwk.alg = ALG;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // 'wx': if another process made the key meanwhile, keep theirs.
      try {
        writeFileSync(path, JSON.stringify(jwk, null, 2), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
      chmodSync(path, 0o600);
    }
    return DevIssuer.fromFile(path);
  }

  private static fromFile(path: string): DevIssuer {
    const privateJwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = privateJwk;
    return new DevIssuer(privateJwk, { ...publicJwk, use: 'sig' });
  }

  get keyId(): string {
    return String(this.privateJwk.kid);
  }

  async mint(config: AppConfig, request: DevTokenRequest): Promise<string> {
    const key = await importJWK(this.privateJwk, ALG);
    const claims: Record<string, unknown> = {};
    setPath(claims, config.auth.rolesClaim, request.roles);
    if (request.agencyId) setPath(claims, config.auth.agencyClaim, request.agencyId);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.privateJwk.kid, typ: 'at+jwt' })
      .setIssuer(config.auth.issuer)
      .setAudience(config.auth.audience)
      .setSubject(request.sub ?? randomUUID())
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${request.ttlSeconds ?? 8 * 3600}s`)
      .sign(key);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}
