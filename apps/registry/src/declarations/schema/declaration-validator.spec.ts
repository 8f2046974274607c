import { describe, expect, it } from '@jest/globals';
import { DECLARATION_SCHEMA, VISIBILITIES } from './declaration.schema.js';
import { DeclarationValidator, fieldVisibilities } from './declaration-validator.js';
import { exampleDeclaration } from './example-declaration.js';

describe('the declaration schema', () => {
  const validator = new DeclarationValidator();

  it('gives every field one of the four visibility levels, at every depth', () => {
    const fields = fieldVisibilities();
    expect(fields.size).toBeGreaterThan(80);
    for (const [path, visibility] of fields) {
      expect([path, VISIBILITIES.includes(visibility)]).toEqual([path, true]);
    }
    expect(fields.get('identity.name')).toBe('public');
    expect(fields.get('transparency.trainingData.proxies')).toBe('restricted');
    expect(fields.get('transparency.sourceCode.location')).toBe('oversight');
    expect(fields.get('transparency.deploymentDetails')).toBe('sensitive_operational');
    expect(fields.get('legalBasis[].instrument')).toBe('public');
  });

  it('describes every field, citing the provision where one applies', () => {
    const described = JSON.stringify(DECLARATION_SCHEMA);
    expect(described).toContain('Art. 14(4)(a)');
    expect(described).toContain('Art. 26(6)');
    expect(described).toContain('CETS 225');
    const missing = [...fieldVisibilities().keys()].filter((path) => !descriptionOf(path));
    expect(missing).toEqual([]);
  });

  it('accepts a complete declaration', () => {
    expect(validator.errors(exampleDeclaration())).toEqual([]);
  });

  it('names every offending field', () => {
    const content = exampleDeclaration();
    set(content, 'identity.name', undefined);
    set(content, 'identity.lifecycle.status', 'operational');
    set(content, 'identity.lifecycle.inUseSince', '1 Sept 2025');
    set(content, 'transparency.logging.retentionMonths', 3);
    set(content, 'classification.annexIIIPoint', '9(z)');
    set(content, 'legalBasis', []);
    set(content, 'identity.nickname', 'x');
    const fields = validator.errors(content).map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        'classification.annexIIIPoint',
        'identity.lifecycle.inUseSince',
        'identity.lifecycle.status',
        'identity.name',
        'identity.nickname',
        'legalBasis',
        'transparency.logging.retentionMonths',
      ].sort(),
    );
    expect(validator.errors(content).find((e) => e.field === 'identity.lifecycle.status')!.message).toContain('must be one of planned, pilot');
  });

  it('refuses content that is not an object, and names nested array items', () => {
    expect(validator.errors('a string')[0].field).toBe('(content)');
    const content = exampleDeclaration();
    set(content, 'legalBasis.0.url', 'javascript:alert(1)');
    expect(validator.errors(content).map((e) => e.field)).toEqual(['legalBasis.0.url']);
  });
});

type Node = { properties?: Record<string, Node>; items?: Node; description?: string };

function descriptionOf(path: string): string | undefined {
  let node: Node | undefined = DECLARATION_SCHEMA as Node;
  for (const part of path.split('.')) {
    for (const step of part.split('[]')) node = step ? node?.properties?.[step] : node?.items;
  }
  return node?.description;
}

/** Sets (or, with undefined, deletes) the value at a dot path of a nested object. */
function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  const last = steps.pop()!;
  const parent = steps.reduce((node, step) => node[step] as Record<string, unknown>, target);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}
