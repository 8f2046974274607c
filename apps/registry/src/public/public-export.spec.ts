import { describe, expect, it } from '@jest/globals';
import { CSV_COLUMNS, type ExportedTool, toCsv } from './public-export.js';

function tool(name: string, description = 'Plain.'): ExportedTool {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    reference: 'CR-POL-0001',
    agency: { id: '00000000-0000-4000-8000-0000000000aa', name: 'Policía, "Judicial"', country: 'CR', kind: 'police' },
    revision: 2,
    publishedAt: '2026-01-02T00:00:00.000Z',
    language: 'es',
    content: {
      identity: { name, shortDescription: description, crimeAreas: ['fraud', 'general'], lifecycle: { status: 'in_use' } },
      classification: { riskClass: 'high_risk' },
      legalBasis: [{ jurisdiction: 'CR', instrument: 'Ley 1', article: 'Art. 2' }, { jurisdiction: 'EU', instrument: 'AI Act' }],
    },
    redactions: [{ field: 'identity.version', reasonCode: 'public_security', reason: 'Security.' }],
    publicContentHash: 'ab'.repeat(32),
    log: { index: 7, leafHash: 'AAAA' },
    publishedRevisions: 2,
    authorisations: [],
    assessments: [],
    findings: [],
    reports: { received: 0, answered: 0, dismissed: 0 },
    incidents: [],
    revisions: [],
  };
}

describe('the CSV export', () => {
  it('has a byte-order mark, the documented header and one RFC 4180 row per tool', () => {
    const csv = toCsv([tool('Línea 1\nLínea 2', 'With, a comma')]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header] = csv.slice(1).split('\r\n');
    expect(header).toBe(CSV_COLUMNS.map(([name]) => name).join(','));
    expect(csv).toContain('"Policía, ""Judicial"""');
    expect(csv).toContain('"Línea 1\nLínea 2"');
    expect(csv).toContain('"With, a comma"');
    expect(csv).toContain(',fraud;general,');
    expect(csv).toContain(',CR Ley 1 Art. 2 | EU AI Act,');
    expect(csv).toContain(',identity.version,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    const csv = toCsv([tool('=HYPERLINK("http://evil.example","click")', '+1 234')]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain(",'+1 234,");
    // Numbers are not text: a log index stays a number.
    expect(csv).toContain(',7,AAAA');
  });
});
