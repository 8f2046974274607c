import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type FieldError, ValidationProblem } from '../../http/problem.js';
import { missingFields } from './completeness.js';
import { DECLARATION_DRAFT_SCHEMA, DECLARATION_SCHEMA, VISIBILITIES, type Visibility } from './declaration.schema.js';

/**
 * Validates declaration content against DECLARATION_SCHEMA (JSON Schema 2020-12, Ajv in strict
 * mode: the schema itself is checked too, including that every x-visibility is a known level).
 * Errors name the field as a dot path, as every validation error of the API does.
 */
export class DeclarationValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<object, ValidateFunction>();

  constructor() {
    // Strict, except that `then: {required: [...]}` may name properties declared beside `if`.
    this.ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats.default(this.ajv, ['date', 'uri']);
    this.ajv.addKeyword({ keyword: 'x-visibility', schemaType: 'string', metaSchema: { enum: VISIBILITIES } });
    this.ajv.addKeyword({ keyword: 'x-schema-version', schemaType: 'number' });
    this.prepare(DECLARATION_SCHEMA, DECLARATION_DRAFT_SCHEMA);
  }

  /** The problems with `content` against a schema (by default the declaration's), one per field. */
  errors(content: unknown, schema: object = DECLARATION_SCHEMA): FieldError[] {
    const validate = this.validator(schema);
    if (validate(content)) return [];
    return (validate.errors ?? []).map(fieldError);
  }

  /**
   * The problems with a request's `content` (default schema: the declaration's), each field
   * named as the request sent it: `content.<path>`.
   */
  contentErrors(content: unknown, schema: object = DECLARATION_SCHEMA): FieldError[] {
    return this.errors(content, schema).map((e) => ({ field: `content.${e.field}`, message: `content.${e.message}` }));
  }

  /** Throws a 400 naming every invalid field of a request's `content`. */
  assertValidContent(content: unknown, schema: object = DECLARATION_SCHEMA): void {
    const errors = this.contentErrors(content, schema);
    if (errors.length > 0) throw new ValidationProblem(errors);
  }

  /** Throws a 400 naming every invalid field of a draft's `content`: any subset of valid fields is a draft. */
  assertValidDraft(content: unknown): void {
    this.assertValidContent(content, DECLARATION_DRAFT_SCHEMA);
  }

  /**
   * What stands between a draft and a complete declaration, as `content.<path>` fields: every
   * required field it lacks (down to the leaves of a missing section), then anything else the
   * full schema refuses (e.g. a schema that changed since the draft was saved).
   */
  incompleteness(content: unknown): FieldError[] {
    const missing = missingFields(DECLARATION_SCHEMA, content);
    const covered = (field: string) => missing.some((m) => m.field === field || m.field.startsWith(`${field}.`));
    return [...missing, ...this.errors(content).filter((e) => !covered(e.field))]
      .map((e) => ({ field: `content.${e.field}`, message: `content.${e.message}` }));
  }

  /** Compiles schemas up front, so that a broken schema stops the service at boot, not a request. */
  prepare(...schemas: object[]): this {
    for (const schema of schemas) this.validator(schema);
    return this;
  }

  private validator(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

function fieldError(error: ErrorObject): FieldError {
  const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  const field = path.join('.') || '(content)';
  const message =
    error.keyword === 'required' ? `${field} is required`
    : error.keyword === 'additionalProperties' ? `${field} is not a field of the declaration schema`
    : error.keyword === 'enum' ? `${field} must be one of ${(error.params.allowedValues as string[]).join(', ')}`
    : `${field} ${error.message ?? 'is invalid'}`;
  return { field, message };
}

/** Every field of the schema with its visibility, as dot paths (array items as `[]`). */
export function fieldVisibilities(schema: Record<string, unknown> = DECLARATION_SCHEMA): Map<string, Visibility> {
  const out = new Map<string, Visibility>();
  const walk = (node: Record<string, unknown>, path: string): void => {
    const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [name, child] of Object.entries(properties ?? {})) {
      const childPath = path ? `${path}.${name}` : name;
      out.set(childPath, child['x-visibility'] as Visibility);
      walk(child, childPath);
    }
    const items = node.items as Record<string, unknown> | undefined;
    if (items) walk(items, `${path}[]`);
  };
  walk(schema, '');
  return out;
}
