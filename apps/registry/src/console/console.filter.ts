import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemOf } from '../http/problem.filter.js';
import { CsrfRefused } from './console-auth.js';
import { ConsolePages } from './console-pages.js';

/**
 * Errors on console pages as pages: someone not signed in is sent to sign in (and back), a form
 * without its CSRF token is refused in plain words, anything else says what the rules said,
 * in the console's layout, never with a stack trace.
 */
@Catch()
export class ConsoleFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  constructor(private readonly pages: ConsolePages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const problem = problemOf(exception);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const lang = this.pages.languageOf(request);
    if (!request.user && (problem.status === 401 || problem.status === 403) && !(exception instanceof CsrfRefused)) {
      const next = request.method === 'GET' ? request.originalUrl : `/console/${lang}`;
      response.set('Cache-Control', 'no-store').redirect(303, `/console/${lang}/sign-in?next=${encodeURIComponent(next)}`);
      return;
    }
    const t = this.pages.t(request);
    const reason = exception instanceof CsrfRefused ? 'csrf' : ({ 400: 'invalid', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 412: 'stale' } as Record<number, string>)[problem.status] ?? (problem.status >= 500 ? 'server' : 'other');
    this.pages.send(request, response, 'error.njk', {
      title: t(`errors.${reason}.title`),
      body: t(`errors.${reason}.body`),
      detail: problem.status >= 500 ? undefined : problem.detail,
      requestId: request.id,
    }, problem.status);
  }
}
