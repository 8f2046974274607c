import { applyDecorators, type ArgumentMetadata, Controller, Injectable, NotFoundException, type PipeTransform, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { ConsoleCsrfGuard } from './console-auth.js';
import { ConsoleFilter } from './console.filter.js';
import type { AgenciesService } from '../agencies/agencies.service.js';
import type { AgencyView } from '../agencies/dto/agency.view.js';
import { ListAgenciesQuery } from '../agencies/dto/list-agencies.query.js';
import { problemOf } from '../http/problem.filter.js';
import { AppValidationPipe } from '../http/validation.pipe.js';
import { isLanguage, type Language } from '../public/portal/i18n.js';

/** The language segment of a console path: one of the four, otherwise the page does not exist. */
@Injectable()
export class LanguagePipe implements PipeTransform<string, Language> {
  transform(value: string): Language {
    if (!isLanguage(value)) throw new NotFoundException('The console speaks en, es, pt and fr.');
    return value;
  }
}

/**
 * A console controller: HTML pages, out of the OpenAPI document; no bearer token needed (the
 * session's principal is set before the guards, and @Roles then decides as on the API); every
 * form post checked for the session's CSRF token; errors rendered as pages.
 */
export const ConsoleController = (prefix = 'console/:lang') =>
  applyDecorators(ApiExcludeController(), Controller(prefix), Public(), UseGuards(ConsoleCsrfGuard), UseFilters(ConsoleFilter));

/** A posted form, as express's urlencoded parser gives it. */
export type Form = Record<string, string | string[] | undefined>;

const validation = new AppValidationPipe();

/**
 * A form's values as the API's DTO, through the API's own validation pipe: the same rules, the
 * same field errors (a ValidationProblem) as the JSON request would get.
 */
export async function asDto<T>(metatype: new () => T, plain: object, type: ArgumentMetadata['type'] = 'body'): Promise<T> {
  return (await validation.transform(plain, { type, metatype })) as T;
}

/** A query parameter's text, trimmed; undefined when absent or blank. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The entries that have a value, e.g. the filters given, for a DTO or a query string. */
export function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The query string of a list's next page: its filters as given, and the page's next cursor. */
export function nextPage(filters: Record<string, string | undefined>, nextCursor: string | null): string | undefined {
  return nextCursor ? `?${new URLSearchParams({ ...definedOnly({ ...filters, cursor: undefined }), cursor: nextCursor }).toString()}` : undefined;
}

/** One posted value (the last, if a field came twice). */
export function posted(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

/** A refusal's message by form field (the DTO's field errors), or under "form" when it names none. */
export function byField(error: unknown, inWords: (message: string) => string): Record<string, string> {
  const problem = problemOf(error);
  if (problem.status >= 500) throw error;
  const fields = (problem.errors as Array<{ field: string; message: string }> | undefined) ?? [];
  return fields.length ? Object.fromEntries(fields.map((e) => [e.field, inWords(e.message)])) : { form: problem.detail };
}

/** Every agency (a registry holds tens, not thousands), a page of 100 at a time. */
export async function allAgencies(agencies: AgenciesService): Promise<AgencyView[]> {
  const all: AgencyView[] = [];
  let cursor: string | null = null;
  do {
    const page = await agencies.list(await asDto(ListAgenciesQuery, { limit: '100', ...(cursor ? { cursor } : {}) }, 'query'));
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
