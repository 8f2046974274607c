import { type ArgumentMetadata, Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
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

const validation = new AppValidationPipe();

/**
 * A form's values as the API's DTO, through the API's own validation pipe: the same rules, the
 * same field errors (a ValidationProblem) as the JSON request would get.
 */
export async function asDto<T>(metatype: new () => T, plain: object, type: ArgumentMetadata['type'] = 'body'): Promise<T> {
  return (await validation.transform(plain, { type, metatype })) as T;
}

/** One posted value (the last, if a field came twice). */
export function posted(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}
