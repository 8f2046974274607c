import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
// An error is about one moment (a limit, a missing record, an outage): no cache may keep it.
export const NO_STORE = 'no-store';
export const PROBLEM_BASE = 'urn:custodia:problem:';

/**
 * An error that already knows the problem it should be rendered as. Services throw this (or any
 * Nest HttpException); the problem filter renders both.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly slug: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail, status);
  }

  toProblem(): Problem {
    return {
      type: PROBLEM_BASE + this.slug,
      title: STATUS_CODES[this.getStatus()] ?? 'Error',
      status: this.getStatus(),
      detail: this.message,
      ...this.extensions,
    };
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[]) {
    const fields = [...new Set(errors.map((e) => e.field || '(body)'))];
    super(HttpStatus.BAD_REQUEST, 'validation', `The request is invalid: check ${fields.join(', ')}.`, { errors });
  }
}

export function problemFor(status: number, detail: string): Problem {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
}

/** Sends a problem as the answer, which no browser or shared cache may keep. */
export function sendProblem(response: Response, problem: Problem): void {
  response.status(problem.status).set('Cache-Control', NO_STORE).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
