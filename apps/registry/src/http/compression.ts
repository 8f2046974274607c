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
 *
 * An answer sent whole (`response.end(body)`, as `send`, `json` and `render` do) is compressed in
 * one call, with its length; only one written in parts (an export) goes through the compression
 * package's stream. For a public list page (11 kB) the stream cost three times the CPU of the one
 * call (160 against 55 µs for Brotli) and its own socket writes (bench/RESULTS.md).
 */
export function compressAnswers(): RequestHandler {
  const streamed = compression({ threshold: THRESHOLD_BYTES, filter: worthCompressing, brotli: BROTLI });
  return (request, response, next) =>
    streamed(request, response, () => {
      compressWhole(request, response);
      next();
    });
}

/** The same encodings for an answer kept whole (the public cache compresses each once). */
export function encodeBody(encoding: 'br' | 'gzip', body: Buffer): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, BROTLI) : gzipSync(body);
}

/**
 * The encoding `body` goes out in, as the compression package would choose it (`Vary` said):
 * undefined when it goes as it is (small, already encoded, a HEAD, not text, `no-transform`, or
 * not accepted).
 */
export function encodingFor(request: Request, response: Response, body: Buffer): 'br' | 'gzip' | undefined {
  if (!worthCompressing(request, response) || /(?:^|,)\s*no-transform\s*(?:,|$)/.test(String(response.getHeader('Cache-Control') ?? ''))) return undefined;
  response.vary('Accept-Encoding');
  if (body.length < THRESHOLD_BYTES || response.getHeader('Content-Encoding') !== undefined || request.method === 'HEAD') return undefined;
  const encoding = request.acceptsEncodings('br', 'gzip', 'identity');
  return encoding === 'br' || encoding === 'gzip' ? encoding : undefined;
}

/**
 * Hands `onEnd` the body of `response.end(body)` when nothing was written before it (an answer
 * sent whole, as `send`, `json` and `render` do), with the original `end` and its arguments: it
 * ends the answer. Every other end goes through as it is.
 */
export function whenSentWhole(response: Response, onEnd: (body: Buffer, end: (...args: unknown[]) => Response, args: unknown[]) => Response): void {
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  let inParts = false;
  response.write = ((...args: unknown[]) => {
    inParts = true;
    return write(...args);
  }) as Response['write'];
  response.end = ((...args: unknown[]) => {
    const [chunk, encoding] = args;
    if (inParts || !(typeof chunk === 'string' || Buffer.isBuffer(chunk))) return end(...args);
    const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk;
    return onEnd(body, end, args);
  }) as Response['end'];
}

/** Makes `response.end(body)` of an answer sent whole send it compressed in one call. */
function compressWhole(request: Request, response: Response): void {
  whenSentWhole(response, (body, end, args) => {
    const chosen = response.headersSent ? undefined : encodingFor(request, response, body);
    if (!chosen) return end(...args);
    const encoded = encodeBody(chosen, body);
    response.setHeader('Content-Encoding', chosen);
    response.setHeader('Content-Length', encoded.length);
    const callback = args.find((arg) => typeof arg === 'function');
    return callback ? end(encoded, callback) : end(encoded);
  });
}

function worthCompressing(request: Request, response: Response): boolean {
  if (request.path.startsWith(ENTRY_BUNDLES)) return true;
  if (request.path.startsWith(HASH_TILES) || request.path.startsWith(PROOFS)) return false;
  return compression.filter(request, response);
}
