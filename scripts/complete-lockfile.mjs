// The npm registry mirror of our build machines serves only linux-x64 builds of packages that
// ship per-platform binaries (@swc/core, jest's unrs-resolver). npm then leaves the other
// platforms' optional packages out of package-lock.json, and `npm ci` refuses the lock as out
// of sync. This adds the missing entries with the os/cpu their names state, so npm skips them
// here and fetches them on the platforms they are for. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    if (packages[target] || packages[`${path}/${target}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    packages[target] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform packages`);

function platformOf(name) {
  const match = /-(android|darwin|freebsd|linux|openharmony|win32|wasm32)-([a-z0-9]+)(?:-(gnu|gnueabihf|musl|musleabihf|msvc|eabi|wasi))?$/.exec(name);
  if (!match) return undefined;
  const [, os, cpu, abi] = match;
  if (os === 'wasm32') return { cpu: ['wasm32'] };
  const libc = abi?.startsWith('gnu') ? ['glibc'] : abi?.startsWith('musl') ? ['musl'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}
