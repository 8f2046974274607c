import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Below about a kilobyte the gzip framing and the CPU cost more than the bytes saved.
export const THRESHOLD_BYTES = 1024;
// The compression package's own default: balanced speed and size.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const ENTRY_BUNDLES = '/log/tile/entries/';
const HASH_TILES = '/log/tile/';
const PROOFS = '/api/v1/log/proofs/';

/**
 * gzip or Brotli, as the client's Accept-Encoding asks, for answers of at least a kilobyte:
 * JSON, pages, exports, and the log's entry bundles, which C2SP tlog-tiles says SHOULD be
 * compressed. Hash tiles are SHA-256 output, which no compression shrinks, and proofs are such
 * hashes in base64, which it shrinks by about a fifth (the base64) while a compressed answer
 * costs its server the compression and a second write: both go out as they are. Bodies are
 * compressed on the way out, after Express computed the ETag of their bytes, so validators and
 * 304s are those of the uncompressed answer (`Vary: Accept-Encoding`).
 */
export function compressAnswers(): RequestHandler {
  return compression({ threshold: THRESHOLD_BYTES, filter: worthCompressing, brotli: BROTLI });
}

/** The same encodings for an answer kept whole (the public cache compresses each once). */
export function encodeBody(encoding: 'br' | 'gzip', body: Buffer): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, BROTLI) : gzipSync(body);
}

function worthCompressing(request: Request, response: Response): boolean {
  if (request.path.startsWith(ENTRY_BUNDLES)) return true;
  if (request.path.startsWith(HASH_TILES) || request.path.startsWith(PROOFS)) return false;
  return compression.filter(request, response);
}
