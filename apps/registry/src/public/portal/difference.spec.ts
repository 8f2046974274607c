import { describe, expect, it } from '@jest/globals';
import { difference } from './difference.js';
import type { FieldView } from './present.js';

const redaction = { reasonLabel: 'Public security', reason: 'Known weaknesses of older versions.' };
const withheld: FieldView = { path: 'identity.version', label: 'Version', kind: 'redacted', redaction };
const version: FieldView = { path: 'identity.version', label: 'Version', kind: 'text', text: '4.2', free: true };
const data = (origin: string): FieldView => ({
  path: 'transparency.trainingData',
  label: 'Training data',
  kind: 'group',
  children: [
    { path: 'transparency.trainingData.origin', label: 'Origin', kind: 'text', text: origin, free: true },
    { path: 'transparency.trainingData.period', label: 'Period', kind: 'text', text: '2019–2023', free: true },
  ],
});
const section = (...children: FieldView[]): FieldView[] => [{ path: 'section', label: 'Section', kind: 'group', children }];

describe('the difference between two revisions', () => {
  it('shows a field withheld from then on as one withheld line, with what it said before', () => {
    const dataWithheld: FieldView = { path: 'transparency.trainingData', label: 'Training data', kind: 'redacted', redaction };
    expect(difference(section(data('Case files'), version), section(dataWithheld, withheld))).toEqual([
      { label: 'Section › Training data', before: { text: 'Origin: Case files; Period: 2019–2023', free: true }, after: { redaction }, change: 'withheld' },
      { label: 'Section › Version', before: { text: '4.2', free: true }, after: { redaction }, change: 'withheld' },
    ]);
  });

  it('shows a field no longer withheld as disclosed, and a withheld field unchanged as no change', () => {
    expect(difference(section(withheld), section(version))).toEqual([
      { label: 'Section › Version', before: { redaction }, after: { text: '4.2', free: true }, change: 'disclosed' },
    ]);
    expect(difference(section(withheld), section(withheld))).toEqual([]);
  });

  it('shows plain changes, additions and removals field by field', () => {
    expect(difference(section(data('Case files')), section(data('Reports'), version))).toEqual([
      { label: 'Section › Training data › Origin', before: { text: 'Case files', free: true }, after: { text: 'Reports', free: true }, change: 'changed' },
      { label: 'Section › Version', before: null, after: { text: '4.2', free: true }, change: 'added' },
    ]);
  });
});
