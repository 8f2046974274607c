import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryClient } from './http-client.js';

/**
 * Where a log's tiles and entry bundles come from: a folder on disk or a server. The checks in
 * verify-tree.ts read through this alone, so both modes check a log the same way.
 */
export interface TileSource {
  /** The bytes at a C2SP tlog-tiles path (tile/0/000.p/15, tile/entries/000), or undefined when absent. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Where a path is read from, for messages. */
  locate(path: string): string;
}

export function directorySource(dir: string): TileSource {
  return {
    read: async (path) => {
      const file = join(dir, path);
      return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
    },
    locate: (path) => join(dir, path),
  };
}

/**
 * The log as served under `<url>/log/`. Entry bundles go out with the oversight token (they
 * hold every entry); hash tiles are public. Full hash tiles never change, so each is fetched
 * once even when the log is verified again at a newer checkpoint.
 */
export function httpSource(client: RegistryClient): TileSource {
  const fullTiles = new Map<string, Uint8Array>();
  return {
    read: async (path) => {
      const cached = fullTiles.get(path);
      if (cached) return cached;
      const entries = path.startsWith('tile/entries/');
      const data = await client.bytes(`/log/${path}`, { withToken: entries, missingOk: true });
      if (data && !entries && !path.includes('.p/')) fullTiles.set(path, data);
      return data;
    },
    locate: (path) => client.url(`/log/${path}`),
  };
}
