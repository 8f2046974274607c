import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatVerifierKey, generateNoteKey, type NoteSigner, parseSignerKey } from '@custodia/tlog';
import type { AppConfig } from '../config/app-config.js';

/** The key that signs the log's checkpoints, with its public half as a verifier key string. */
export interface LogSigningKey {
  signer: NoteSigner;
  verifierKey: string;
}

/**
 * LOG_SIGNING_KEY when configured (production: every instance shares it); otherwise a
 * development key generated once in DATA_DIR and kept there, readable by its owner only.
 */
export function loadSigningKey(config: AppConfig): LogSigningKey {
  if (config.logSigningKey) return fromSignerKey(config.logSigningKey);
  const file = join(config.dataDir, 'log-signing-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${generateNoteKey(config.logOrigin).signerKey}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const key = fromSignerKey(readFileSync(file, 'utf8').trim());
  if (key.signer.name !== config.logOrigin) {
    throw new Error(
      `The development log signing key in ${file} is for "${key.signer.name}", but LOG_ORIGIN is "${config.logOrigin}". ` +
        'A log keeps its origin for life: restore LOG_ORIGIN or start on a new DATA_DIR.',
    );
  }
  return key;
}

function fromSignerKey(signerKey: string): LogSigningKey {
  const signer = parseSignerKey(signerKey);
  return { signer, verifierKey: formatVerifierKey(signer.name, signer.publicKey) };
}
