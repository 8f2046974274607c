import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where writeFileDurably stages a file; a leftover one is a write a crash cut short. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Replaces `path` so that a crash at any moment leaves either the old file or the new one,
 * whole, and once this resolves the new one survives a power loss: write a temp file in the
 * same directory, fsync it, rename it over the file (atomic on POSIX), fsync the directory
 * (which makes the rename itself durable).
 */
export async function writeFileDurably(path: string, contents: string): Promise<void> {
  const temp = `${path}${TEMP_SUFFIX}`;
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(contents, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/** Appends a line and fsyncs it (and the directory, for the file's first line). */
export async function appendLineDurably(path: string, line: string): Promise<void> {
  const file = await open(path, 'a', 0o600);
  try {
    await file.appendFile(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
