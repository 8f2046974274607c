import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id before anything else runs, so that even a request refused by the
 * body parser is answered and logged with one. A caller's X-Request-Id is kept when it is a sane
 * token, so ids can be followed across systems.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  assignId(request, response);
  next();
}

function assignId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  response.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Structured request logs (pino): one JSON line per request with its id.
 */
export function requestLogging(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // The id was given by assignRequestId, the first middleware of all.
      genReqId: (request: IncomingMessage, response: ServerResponse) => request.id ?? assignId(request, response),
      // Belt and braces: tokens and cookies never reach the logs.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: {
        // Only what is needed to follow a request: never its headers or body.
        req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          userAgent: req.headers['user-agent'],
        }),
      },
    },
  };
}
