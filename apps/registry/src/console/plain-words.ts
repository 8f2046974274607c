import type { TFunction } from 'i18next';

/**
 * The validators' messages (JSON Schema through ajv, the DTOs through class-validator) are the
 * API's, in English and about types; a clerk reads them in their language and about what to
 * write. Each known shape maps to a form.errors text; an unknown one is shown as it is.
 */
const SHAPES: Array<[RegExp, string, (match: RegExpMatchArray) => Record<string, string>]> = [
  [/(?:^| )is required$/, 'required', () => ({})],
  [/must (?:not be empty|NOT have fewer than 1 characters?)$/, 'required', () => ({})],
  [/must be integer$/, 'integer', () => ({})],
  [/must be number$/, 'number', () => ({})],
  [/must be boolean$/, 'boolean', () => ({})],
  [/must match format "date"$/, 'date', () => ({})],
  [/must match format "(?:uri|url)"$/, 'uri', () => ({})],
  [/must match pattern "\^\[0-9a-f\]\{64\}\$"$/, 'sha256', () => ({})],
  [/must match pattern "\^\[A-Z\]\{2\}\$"$|ISO 3166-1 alpha-2/, 'country', () => ({})],
  [/must match pattern /, 'pattern', () => ({})],
  [/must NOT have more than (\d+) characters?$|must be shorter than or equal to (\d+) characters$/, 'maxLength', (m) => ({ n: m[1] ?? m[2] })],
  [/must NOT have fewer than (\d+) characters$|must be longer than or equal to (\d+) characters$/, 'minLength', (m) => ({ n: m[1] ?? m[2] })],
  [/must be >= (\S+)$/, 'minimum', (m) => ({ n: m[1] })],
  [/must be <= (\S+)$/, 'maximum', (m) => ({ n: m[1] })],
  [/must NOT have more than (\d+) items$/, 'maxItems', (m) => ({ n: m[1] })],
  [/must NOT have fewer than (\d+) items$/, 'minItems', (m) => ({ n: m[1] })],
  [/must be (?:one of|equal to one of the allowed values)/, 'choice', () => ({})],
];

/** A validator's message about one field in the reader's words. */
export function inPlainWords(message: string, t: TFunction): string {
  for (const [shape, key, values] of SHAPES) {
    const match = message.match(shape);
    if (match) return t(`form.errors.${key}`, values(match));
  }
  return message;
}
