import { describe, expect, it } from '@jest/globals';
import { draftSchemaOf, missingFields } from './completeness.js';
import { DECLARATION_SCHEMA } from './declaration.schema.js';
import { DeclarationValidator } from './declaration-validator.js';
import { exampleDeclaration } from './example-declaration.js';

const SCHEMA = {
  type: 'object',
  required: ['name', 'section', 'bases'],
  properties: {
    name: { type: 'string', minLength: 1 },
    note: { type: 'string' },
    section: { type: 'object', required: ['a', 'inner'], properties: { a: { type: 'string' }, inner: { type: 'object', required: ['b'], properties: { b: { type: 'integer' } } } } },
    bases: { type: 'array', minItems: 1, items: { type: 'object', required: ['law'], properties: { law: { type: 'string' } } } },
    // A property may be called "required": only schema keywords are stripped.
    options: { type: 'object', properties: { required: { type: 'boolean' } }, required: ['required'] },
  },
};

describe('what a draft still lacks', () => {
  it('names a missing section by the leaves it requires, and a list by its minimum', () => {
    expect(missingFields(SCHEMA, {}).map((e) => e.message)).toEqual([
      'name is required',
      'section.a is required',
      'section.inner.b is required',
      'bases needs at least 1 entry',
    ]);
  });

  it('looks into present sections and into each record of a list', () => {
    const content = { name: 'x', section: { a: 'y', inner: {} }, bases: [{ law: 'L' }, {}], options: {} };
    expect(missingFields(SCHEMA, content).map((e) => e.field)).toEqual(['section.inner.b', 'bases.1.law', 'options.required']);
  });

  it('finds nothing missing in a complete declaration, and every section of an empty one', () => {
    expect(missingFields(DECLARATION_SCHEMA, exampleDeclaration())).toEqual([]);
    const sections = new Set(missingFields(DECLARATION_SCHEMA, {}).map((e) => e.field.split('.')[0]));
    expect([...sections]).toEqual(['identity', 'classification', 'transparency', 'legalBasis']);
  });

  it('makes a draft schema with nothing required that still checks types, lengths and enums', () => {
    const draft = draftSchemaOf(SCHEMA, 'urn:test:draft') as Record<string, unknown>;
    expect(JSON.stringify(draft)).not.toMatch(/"required":\[|"minItems"/);
    expect((draft.properties as { options: { properties: object } }).options.properties).toEqual({ required: { type: 'boolean' } });
    expect(draft.$id).toBe('urn:test:draft');

    const validator = new DeclarationValidator();
    validator.assertValidDraft({});
    validator.assertValidDraft({ identity: { name: 'Only a name' }, legalBasis: [] });
    expect(() => validator.assertValidDraft({ identity: { lifecycle: { status: 'operational' } } })).toThrow();
    expect(() => validator.assertValidDraft({ identity: { name: '' } })).toThrow();
    expect(() => validator.assertValidDraft({ identity: { colour: 'blue' } })).toThrow();
  });

  it('reports incompleteness under content, as a request names its fields', () => {
    const validator = new DeclarationValidator();
    const content = exampleDeclaration();
    delete (content.identity as Record<string, unknown>).name;
    expect(validator.incompleteness(content)).toEqual([{ field: 'content.identity.name', message: 'content.identity.name is required' }]);
    expect(validator.incompleteness(exampleDeclaration())).toEqual([]);
  });
});
