import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, Witness, type WitnessOptions } from './witness.js';

/** A checkpoint with 63 proof lines and 100 signatures is under 20 KiB; anything past this is not one. */
export const MAX_BODY_BYTES = 64 * 1024;
const TEXT = 'text/plain; charset=utf-8';

type Reply = Answer & { allow?: string };

export interface RunningWitness {
  witness: Witness;
  url: string;
  /** Stops taking requests, lets those under way finish (and persist), then releases the state folder. */
  close(): Promise<void>;
}

/** Opens the state (locking its folder) and serves the witness over HTTP at host:port (port 0: any free port). */
export async function startWitness(options: WitnessOptions & { host: string; port: number }): Promise<RunningWitness> {
  const witness = await Witness.open(options);
  const log = options.log ?? (() => undefined);
  const server = createServer((req, res) => {
    answer(req, witness).then(
      (answer) => send(res, answer),
      (error: Error) => {
        // A save that failed (disk full, I/O error): nothing was cosigned, the log may retry.
        log(`error: ${error.stack ?? error.message}`);
        send(res, { status: 500, contentType: TEXT, body: 'internal error: nothing was cosigned\n' });
      },
    );
  });
  // A client that trickles its body holds no connection for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await witness.close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    witness,
    url: `http://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await witness.close();
    },
  };
}

async function answer(req: IncomingMessage, witness: Witness): Promise<Reply> {
  const path = new URL(req.url ?? '/', 'http://witness').pathname;
  const reading = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/add-checkpoint') {
    // C2SP tlog-witness: "The request MUST be an HTTP POST."
    if (req.method !== 'POST') return { ...text(405, 'add-checkpoint takes a POST\n'), allow: 'POST' };
    const body = await readBody(req);
    if (body === undefined) return text(413, `the body is larger than ${MAX_BODY_BYTES} bytes\n`);
    return witness.addCheckpoint(body);
  }
  if (path === '/' && reading) return text(200, witness.description());
  // C2SP tlog-witness "Monitor Retrieval Mechanism": GET <origin hash>/checkpoint.
  const monitored = /^\/([0-9a-f]{64})\/checkpoint$/.exec(path);
  if (monitored && reading) {
    const note = witness.servedCheckpoint(monitored[1]!);
    return note === undefined ? text(404, 'no checkpoint of that log cosigned\n') : text(200, note);
  }
  return text(404, 'not found\n');
}

/** The body, or undefined past MAX_BODY_BYTES (read to its end and dropped, so the answer reaches the client). */
function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

function text(status: number, body: string): Answer {
  return { status, contentType: TEXT, body };
}

function send(res: ServerResponse, answer: Reply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    'content-length': Buffer.byteLength(answer.body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(answer.allow ? { allow: answer.allow } : {}),
  });
  res.end(answer.body);
}
