import { describe, expect, it } from '@jest/globals';
import { DECLARATION_SCHEMA, VISIBILITIES } from './declaration.schema.js';
import { DeclarationValidator, fieldVisibilities } from './declaration-validator.js';

/** A complete, realistic declaration (every required field, several optional ones). */
export function exampleDeclaration(): Record<string, unknown> {
  const screening = Object.fromEntries('abcdefgh'.split('').map((l) => [l, { performs: false, explanation: 'Not applicable.' }]));
  return {
    identity: {
      name: 'Transcriptor de entrevistas',
      shortDescription: 'Transcribe las entrevistas grabadas a testigos para su revisión por la fiscalía.',
      intendedPurpose: 'Acelerar la transcripción de entrevistas; una persona revisa cada transcripción.',
      functions: ['transcribes audio', 'marks unclear passages'],
      provider: { name: 'Acme Speech S.A.', country: 'ES' },
      version: '4.2',
      procurementRoute: 'open_tender',
      countriesOfUse: ['CR'],
      lifecycle: { status: 'in_use', pilotSince: '2025-02-01', inUseSince: '2025-09-01' },
      crimeAreas: ['gender_based_violence', 'general'],
    },
    classification: { riskClass: 'limited_risk', rationale: 'Assists staff; no decision about persons.', article5Screening: screening },
    transparency: {
      modelType: 'speech recognition neural network',
      inputs: 'Audio recordings of interviews.',
      outputs: 'A draft transcript, marked as machine-made.',
      humanOversight: {
        understandCapacities: 'Training before access.',
        automationBias: 'Every transcript is checked against the audio.',
        interpretOutput: 'Unclear passages are highlighted.',
        decideNotToUse: 'Staff may transcribe manually.',
        interveneOrStop: 'The unit head can switch it off.',
      },
      logging: { retentionMonths: 12, description: 'Access logs in the case system.' },
      affectedPersons: { howToContest: 'The witness may ask for the recording to be re-heard.' },
      performance: [{ metric: 'word error rate', value: '7.9 %', testConditions: 'Spanish, 200 h of interviews' }],
    },
    legalBasis: [{ jurisdiction: 'CR', instrument: 'Código Procesal Penal', article: 'Art. 210', url: 'https://www.pgrweb.go.cr/' }],
  };
}

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
