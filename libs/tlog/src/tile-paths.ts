import { TlogError } from './errors.js';
import { assertTreeNumber } from './tree-math.js';

// C2SP tlog-tiles: every tile is 256 hashes wide, i.e. 8 levels of the Merkle tree high.
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
// C2SP tlog-tiles "Merkle Tree": <L> is between 0 and 63.
const MAX_TILE_LEVEL = 63;

// A tile at `level`, `index`, holding `width` hashes (1-255: partial, 256: full).
export interface TileCoord {
  level: number;
  index: number;
  width: number;
}

export type ParsedTilePath = { kind: 'hashes'; tile: TileCoord } | { kind: 'entries'; index: number; width: number };

// A tile's identity as a map key: the same for the same tile, as tilePath, without its
// checks and zero-padding (proofs look tiles up a few dozen times each).
export function tileKey(tile: TileCoord): string {
  return `${tile.level}/${tile.index}/${tile.width}`;
}

// C2SP tlog-tiles: tile/<L>/<N>[.p/<W>].
export function tilePath(tile: TileCoord): string {
  assertTile(tile);
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${partialSuffix(tile.width)}`;
}

// C2SP tlog-tiles "Log entries": tile/entries/<N>[.p/<W>].
export function entryBundlePath(index: number, width: number): string {
  assertTreeNumber(index, 'entry bundle index');
  assertWidth(width);
  return `tile/entries/${encodeTileIndex(index)}${partialSuffix(width)}`;
}

// Parses a path relative to the log prefix; only the canonical spelling is accepted.
export function parseTilePath(path: string): ParsedTilePath {
  const match = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match) throw badPath(path, 'not of the form tile/<L>/<N>[.p/<W>]');
  const [, levelText, indexText, widthText] = match;
  const index = Number(indexText!.replace(/[x/]/g, ''));
  if (!Number.isSafeInteger(index) || encodeTileIndex(index) !== indexText) {
    throw badPath(path, 'the index is not canonically encoded or is too large');
  }
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) throw badPath(path, 'a partial width must be between 1 and 255');
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw badPath(path, `the level must be at most ${MAX_TILE_LEVEL}`);
  return { kind: 'hashes', tile: { level, index, width } };
}

// C2SP tlog-tiles: zero-padded 3-digit path elements, all but the last prefixed with "x"
// (1234067 -> x001/x234/067).
function encodeTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function partialSuffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

export function assertTile(tile: TileCoord): void {
  assertTreeNumber(tile.level, 'tile level');
  if (tile.level > MAX_TILE_LEVEL) {
    throw new TlogError('bad-tile-path', `tile level must be at most ${MAX_TILE_LEVEL}, got ${tile.level}`);
  }
  assertTreeNumber(tile.index, 'tile index');
  assertWidth(tile.width);
}

function assertWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TlogError('bad-tile-path', `tile width must be between 1 and ${TILE_WIDTH}, got ${width}`);
  }
}

function badPath(path: string, reason: string): TlogError {
  return new TlogError('bad-tile-path', `bad tile path ${JSON.stringify(path)}: ${reason}`);
}
