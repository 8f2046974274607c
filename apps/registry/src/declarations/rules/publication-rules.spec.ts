import { describe, expect, it } from '@jest/globals';
import { exampleDeclaration } from '../schema/example-declaration.js';
import { AUTHORISATION_REQUIRED, assessmentViolations, contentViolations, forTool } from './publication-rules.js';

type Content = {
  identity: { lifecycle: Record<string, string> };
  classification: { riskClass?: string; annexIIIPoint?: string; article5Screening: Record<string, { performs: boolean }> };
};
const example = () => exampleDeclaration() as unknown as Content;
const rules = (content: Content) => contentViolations(content, '2026-11-22').map((v) => v.rule);

describe('the rules a revision must meet to be published', () => {
  it('passes the example declaration', () => {
    expect(contentViolations(example(), '2026-11-22')).toEqual([]);
  });

  it('keeps the Annex III point and the risk class consistent', () => {
    const high = example();
    high.classification.riskClass = 'high_risk';
    expect(rules(high)).toEqual(['annex-iii-consistency']);
    high.classification.annexIIIPoint = '6(d)';
    expect(rules(high)).toEqual([]);
    const minimal = example();
    minimal.classification.annexIIIPoint = '8(a)';
    expect(rules(minimal)).toEqual(['annex-iii-consistency']);
  });

  it('allows only the Art. 5(1)(h) exception, and only when classed so', () => {
    const scoring = example();
    scoring.classification.article5Screening.c.performs = true;
    expect(rules(scoring)).toEqual(['prohibited-practice']);
    const rbi = example();
    rbi.classification.article5Screening.h.performs = true;
    expect(rules(rbi)).toEqual(['annex-iii-consistency']);
    rbi.classification.riskClass = 'prohibited_practice_exception';
    rbi.classification.annexIIIPoint = '1(a)';
    expect(rules(rbi)).toEqual([]);
    const claimed = example();
    claimed.classification.riskClass = 'prohibited_practice_exception';
    expect(rules(claimed)).toEqual(['annex-iii-consistency']);
  });

  it('wants lifecycle dates in order, the date of the current status, and not in the future', () => {
    const reversed = example();
    reversed.identity.lifecycle = { status: 'in_use', pilotSince: '2025-10-01', inUseSince: '2025-09-01' };
    expect(rules(reversed)).toEqual(['lifecycle-dates']);
    const undated = example();
    undated.identity.lifecycle = { status: 'retired', inUseSince: '2020-01-01' };
    expect(contentViolations(undated, '2026-11-22')[0].message).toContain('needs retiredOn');
    const future = example();
    future.identity.lifecycle = { status: 'in_use', inUseSince: '2027-01-01' };
    expect(rules(future)).toEqual(['lifecycle-dates']);
  });

  it('says for every rule which route fixes it, naming the tool', () => {
    const broken = example();
    broken.classification.riskClass = 'high_risk';
    broken.identity.lifecycle.status = 'retired';
    const violations = forTool([
      ...contentViolations(broken, '2026-11-22'),
      ...assessmentViolations(broken, { bias: { disparities: [{ status: 'fail', group: 'women', metric: 'fpr' }] } }),
      AUTHORISATION_REQUIRED,
    ], 'tool-7');
    expect(violations.map((v) => v.rule)).toEqual(['annex-iii-consistency', 'lifecycle-dates', 'fria-required', 'bias-mitigation', 'authorisation-required']);
    for (const v of violations) {
      expect([v.rule, v.fix]).toEqual([v.rule, expect.stringMatching(/(PUT|POST) \/api\/v1\/tools\/tool-7\/(draft|assessments|authorisations)/)]);
      expect(v.fix).not.toContain('{id}');
    }
    expect(violations[0].fix).toContain('POST /api/v1/tools/tool-7/reject');
  });
});
