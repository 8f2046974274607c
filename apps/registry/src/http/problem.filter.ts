import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { PROBLEM_BASE, type Problem, ProblemException, problemFor, sendProblem } from './problem.js';

/** Errors raised by the body parser carry an HTTP status and a machine-readable type. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
  /** entity.parse.failed: the text that did not parse. */
  body?: string;
  /** entity.too.large: the limit in bytes, and the body's declared length when it had one. */
  limit?: number;
  length?: number;
}

const BODY_PARSER_DETAILS: Record<string, string> = {
  'entity.too.large': 'The request body is larger than this service accepts.',
  'encoding.unsupported': 'The request body uses an unsupported character encoding.',
  'charset.unsupported': 'The request body uses an unsupported character set.',
  'request.aborted': 'The request was aborted before its body was received.',
  'entity.verify.failed': 'The request body could not be verified.',
  'request.size.invalid': 'The request body does not match its declared length.',
};

/** Renders every error as RFC 9457 problem+json, never cached; never a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = problemOf(exception);
    if (problem.status >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    if (request.id) problem.requestId = String(request.id);
    if (problem.status === 503 && problem.retryAfter) response.setHeader('Retry-After', String(problem.retryAfter));
    sendProblem(response, problem);
  }
}

/** The problem an error is answered with: the API renders it as JSON, the console as a page. */
export function problemOf(exception: unknown): Problem {
  if (exception instanceof ProblemException) return exception.toProblem();
  // Nest hands the body parser's errors on wrapped in an HttpException, the original as its cause.
  const parserError = exception instanceof HttpException ? exception.cause : exception;
  if (isBodyParserError(parserError)) return bodyProblem(parserError);
  if (exception instanceof HttpException) {
    return problemFor(exception.getStatus(), detailOf(exception));
  }
  if (isDatabaseUnavailable(exception)) {
    return { ...problemFor(503, 'The database is unavailable or the connection was lost: nothing was changed. Try again shortly.'), retryAfter: 5 };
  }
  return problemFor(500, 'An unexpected error occurred. Quote the request id when reporting it.');
}

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** A body the parser refused, in plain words: where JSON broke (never the parser's own text), what the limit is. */
function bodyProblem(error: BodyParserError): Problem {
  if (error.type === 'entity.parse.failed') {
    const detail = malformedJson(error);
    return { ...problemFor(400, detail), type: `${PROBLEM_BASE}validation`, errors: [{ field: '(body)', message: detail }] };
  }
  if (error.type === 'entity.too.large' && typeof error.limit === 'number') {
    const size = typeof error.length === 'number' ? `${bytes(error.length)}` : 'larger than that';
    return { ...problemFor(413, `The request body is ${size}; this service accepts at most ${bytes(error.limit)}.`), limit: error.limit };
  }
  return problemFor(error.status, BODY_PARSER_DETAILS[error.type] ?? 'The request body could not be read.');
}

function malformedJson(error: BodyParserError): string {
  const text = typeof error.body === 'string' ? error.body : '';
  const at = /at position (\d+)/.exec(error.message);
  const position = at ? Number(at[1]) : text.length;
  if (text.trim() === '') return 'The request body is empty: send a JSON object.';
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return 'The request body must be a JSON object, e.g. {"content": {...}}.';
  if (position >= text.trimEnd().length) {
    return 'The request body is not valid JSON: it ends before the JSON is complete (a closing quote, bracket or brace is missing).';
  }
  const before = text.slice(0, position).split('\n');
  return `The request body is not valid JSON: look at line ${before.length}, column ${before[before.length - 1].length + 1} ` +
    '(often a missing comma or quote, or a comma before a closing brace).';
}

function bytes(n: number): string {
  const exact = `${n.toLocaleString('en')} bytes`;
  return n >= 1024 ? `${exact} (${n >= 1_048_576 ? `${+(n / 1_048_576).toFixed(1)} MiB` : `${+(n / 1024).toFixed(1)} KiB`})` : exact;
}

// PostgreSQL classes 08 (connection exception) and 57P (operator intervention: terminated,
// shut down, cannot connect now), and the pg driver's own connection failures.
const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Client has encountered a connection error/i;

function isDatabaseUnavailable(error: unknown): boolean {
  // The connection died between two statements of a transaction: TypeORM released its runner.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const driver = (error as { driverError?: { code?: unknown; message?: unknown } } | null)?.driverError ?? error;
  const code = (driver as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
  const message = (driver as { message?: unknown } | null)?.message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError> | null;
  return (
    typeof e === 'object' && e !== null && typeof e.type === 'string' && typeof e.status === 'number' &&
    e.status >= 400 && e.status < 500
  );
}
