import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The portal's templates, translations and static files live beside its source
 * (apps/registry/src/public/{views,i18n,assets}); the compiled service finds them there too, by
 * walking up from wherever this module runs (src under jest, dist once built).
 */
function findPublicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'apps', 'registry', 'src', 'public');
    if (existsSync(join(candidate, 'views'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the portal files (apps/registry/src/public/views)');
    dir = parent;
  }
}

export const PUBLIC_DIR = findPublicDir();
export const VIEWS_DIR = join(PUBLIC_DIR, 'views');
export const I18N_DIR = join(PUBLIC_DIR, 'i18n');
export const ASSETS_DIR = join(PUBLIC_DIR, 'assets');
