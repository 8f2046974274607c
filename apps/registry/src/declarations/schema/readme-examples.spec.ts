import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ASSESSMENT_SCHEMAS } from '../assessments/assessment.schemas.js';
import { assessmentViolations, contentViolations } from '../rules/publication-rules.js';
import { DeclarationValidator } from './declaration-validator.js';

// The README's "Declaring a tool" walks a clerk through a complete declaration and its FRIA:
// its bodies must stay what the schema accepts, or the first thing a newcomer copies fails.
const README = readFileSync(fileURLToPath(new URL('../../../../../README.md', import.meta.url)), 'utf8');
const section = README.slice(README.indexOf('## Declaring a tool'), README.indexOf('## The audit log'));
const [tool, fria] = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as { content: Record<string, unknown>; kind?: string });

describe("the README's declaration example", () => {
  const validator = new DeclarationValidator();

  it('is a complete declaration, breaking no rule but the FRIA it then records', () => {
    expect(validator.incompleteness(tool.content)).toEqual([]);
    expect(contentViolations(tool.content, '2026-12-01')).toEqual([]);
    expect(assessmentViolations(tool.content, {}).map((v) => v.rule)).toEqual(['fria-required']);
    expect(assessmentViolations(tool.content, { fria: fria.content })).toEqual([]);
  });

  it('records a valid fundamental rights impact assessment', () => {
    expect(fria.kind).toBe('fria');
    expect(validator.errors(fria.content, ASSESSMENT_SCHEMAS.fria)).toEqual([]);
  });
});
