import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { ASSESSMENT_KINDS, ASSESSMENT_SCHEMAS } from '../declarations/assessments/assessment.schemas.js';
import { exampleAssessment } from '../declarations/assessments/example-assessments.js';
import { AUTHORISATION_SCHEMA } from '../declarations/authorisations/authorisation.schema.js';
import { DECLARATION_SCHEMA } from '../declarations/schema/declaration.schema.js';
import { exampleDeclaration } from '../declarations/schema/example-declaration.js';
import type { SchemaNode } from '../public/portal/present.js';
import { contentFromForm, CsvProblem, csvIntoForm, type FormField, formFields } from './schema-form.js';

const labels = { label: (path: string) => `label of ${path}`, value: (list: string, value: string) => `${list}:${value}` };
const declaration = DECLARATION_SCHEMA as unknown as SchemaNode;
const readCsv = (text: string) => parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;

/** What a browser posts for a generated form as it was rendered (its values left as they are). */
function post(fields: FormField[]): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  for (const f of fields) {
    if (f.children) Object.assign(body, post(f.children));
    else if (f.rows) for (const row of f.rows) Object.assign(body, post(row));
    else if (f.control === 'checkboxes') body[f.name] = f.selected!;
    else if (f.control === 'pair') f.selected!.forEach((v, i) => (body[`${f.name}.${i}`] = v));
    else body[f.name] = f.value ?? '';
  }
  return body;
}

const all = (fields: FormField[]): FormField[] => fields.flatMap((f) => [f, ...all(f.children ?? []), ...all((f.rows ?? []).flat())]);

describe('a form generated from a JSON Schema', () => {
  it('gives back exactly the declaration it was filled with, lists and nested records included', () => {
    const content = exampleDeclaration();
    expect(contentFromForm(declaration, post(formFields(declaration, content, labels)))).toEqual(content);
  });

  it('does the same for every kind of assessment and for an authorisation', () => {
    for (const kind of ASSESSMENT_KINDS) {
      const schema = ASSESSMENT_SCHEMAS[kind] as unknown as SchemaNode;
      expect([kind, contentFromForm(schema, post(formFields(schema, exampleAssessment(kind), labels)))]).toEqual([kind, exampleAssessment(kind)]);
    }
    const authorisation = { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-01-05', outcome: 'pending', decisionDocumentSha256: 'ab'.repeat(32), urgency: { used: false } };
    const schema = AUTHORISATION_SCHEMA as unknown as SchemaNode;
    expect(contentFromForm(schema, post(formFields(schema, authorisation, labels)))).toEqual(authorisation);
  });

  it('shows each field with its label, help and visibility, enums with their value labels, and one empty row to add', () => {
    const fields = all(formFields(declaration, {}, labels));
    const risk = fields.find((f) => f.path === 'classification.riskClass')!;
    expect(risk).toMatchObject({ name: 'f.classification.riskClass', id: 'f-classification-riskClass', control: 'select', visibility: 'public', label: 'label of classification.riskClass' });
    expect(risk.options![1]).toEqual({ value: 'high_risk', label: 'riskClass:high_risk' });
    expect(risk.help).toMatch(/./);
    expect(fields.find((f) => f.path === 'identity.operationalContact')!.visibility).toBe('sensitive_operational');
    const legalBasis = fields.find((f) => f.path === 'legalBasis')!;
    expect(legalBasis.rows).toHaveLength(1);
    expect(legalBasis.rows![0].map((f) => f.name)).toContain('f.legalBasis.0.url');
  });

  it('leaves empty fields out (a draft may be partial), keeps a number that is not one as text for the schema to name', () => {
    const body = { 'f.identity.name': '  Lector  ', 'f.identity.version': '', 'f.legalBasis.0.url': '', 'f.legalBasis.3.instrument': 'Ley 7', 'f.transparency.logging.retentionMonths': 'doce', 'f.classification.article5Screening.a.performs': 'false' };
    expect(contentFromForm(declaration, body)).toEqual({
      identity: { name: 'Lector' },
      classification: { article5Screening: { a: { performs: false } } },
      transparency: { logging: { retentionMonths: 'doce' } },
      legalBasis: [{ instrument: 'Ley 7' }],
    });
  });

  it('fills a table of plain values from CSV, and names the columns it does not know', () => {
    const bias = ASSESSMENT_SCHEMAS.bias as unknown as SchemaNode;
    const body = csvIntoForm(bias, 'groups', 'group,n,fpr,fprCI.low,fprCI.high\nwomen,800,0.12,0.11,0.13\nmen,400,0.1,,\n', { 'f.groups.0.group': 'replaced', 'f.referenceGroup': 'men' }, readCsv);
    expect(contentFromForm(bias, body)).toEqual({
      referenceGroup: 'men',
      groups: [{ group: 'women', n: 800, fpr: 0.12, fprCI: [0.11, 0.13] }, { group: 'men', n: 400, fpr: 0.1 }],
    });
    expect(() => csvIntoForm(bias, 'groups', 'group,colour\nx,y', {}, readCsv)).toThrow(new CsvProblem('the column colour is not a field of the table (its fields: group, n, baseRate, selectionRate, tpr, fpr, fnr, ppv, selectionRateCI.low, selectionRateCI.high, fprCI.low, fprCI.high).'));
    expect(() => csvIntoForm(bias, 'evaluatedOn', 'a\n1', {}, readCsv)).toThrow(CsvProblem);
  });
});
