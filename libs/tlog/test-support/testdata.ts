import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The shared test data lives beside the repository: <repo>/../shared/testdata. Its absence is
// an error, never a reason to skip.
const repoRoot = new URL('../../../', import.meta.url);
const testdataRoot = new URL('../shared/testdata/', repoRoot);

export function testdataPath(...segments: string[]): string {
  const path = fileURLToPath(new URL(segments.join('/'), testdataRoot));
  if (!existsSync(path)) {
    throw new Error(`test data not found at ${path} (expected <repo>/../shared/testdata); refusing to skip`);
  }
  return path;
}

export function readTestdata(...segments: string[]): Uint8Array {
  return new Uint8Array(readFileSync(testdataPath(...segments)));
}

export function readTestdataText(...segments: string[]): string {
  return readFileSync(testdataPath(...segments), 'utf8');
}

// Every file below a test data folder, as paths relative to it, sorted.
export function listTestdataFiles(...segments: string[]): string[] {
  const root = testdataPath(...segments);
  const walk = (dir: string): string[] =>
    readdirSync(`${root}/${dir}`)
      .flatMap((name) => {
        const rel = dir ? `${dir}/${name}` : name;
        return statSync(`${root}/${rel}`).isDirectory() ? walk(rel) : [rel];
      })
      .sort();
  return walk('');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
