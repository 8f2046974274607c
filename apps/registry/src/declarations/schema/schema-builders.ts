// Builders for JSON Schema properties that always carry x-visibility (see declaration.schema.ts).

export const VISIBILITIES = ['public', 'restricted', 'oversight', 'sensitive_operational'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export type Json = Record<string, unknown>;

export const text = (visibility: Visibility, description: string, maxLength = 4000): Json => ({
  type: 'string',
  minLength: 1,
  maxLength,
  description,
  'x-visibility': visibility,
});
export const choice = (visibility: Visibility, values: readonly string[], description: string): Json => ({
  type: 'string',
  enum: values,
  description,
  'x-visibility': visibility,
});
export const date = (visibility: Visibility, description: string): Json => ({ type: 'string', format: 'date', description, 'x-visibility': visibility });
export const flag = (visibility: Visibility, description: string): Json => ({ type: 'boolean', description, 'x-visibility': visibility });
export const list = (visibility: Visibility, description: string, items: Json, maxItems = 50): Json => ({
  type: 'array',
  items,
  maxItems,
  description,
  'x-visibility': visibility,
});
export const object = (visibility: Visibility, description: string, properties: Record<string, Json>, required: string[] = []): Json => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
  description,
  'x-visibility': visibility,
});
// An object in an array: its properties carry their own visibility like any other.
export const record = (properties: Record<string, Json>, required: string[]): Json => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
export const item = (description: string, maxLength = 500): Json => ({ type: 'string', minLength: 1, maxLength, description });
export const country = { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code, e.g. CR, ES, BR' };

