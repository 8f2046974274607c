import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BiasContent, biasView, type Said } from './bias.js';
import { LANGUAGES } from './i18n.js';
import { I18N_DIR } from './portal-files.js';

// As recorded before disparityMeasure and minimumGroupSize existed (the Costa Rican demo tool).
const evaluation = (): BiasContent => ({
  referenceGroup: 'urban',
  groups: [
    { group: 'urban', n: 6900, fnr: 0.22, selectionRate: 0.3, selectionRateCI: [0.28, 0.32] },
    { group: 'rural', n: 2500, fnr: 0.31, selectionRate: 0.36, selectionRateCI: [0.33, 0.39] },
    { group: '60 or older', n: 140, fnr: 0.25 },
  ],
  disparities: [
    { group: 'rural', metric: 'fnr', value: 1.41, tolerance: 1.25, status: 'fail' },
    { group: '60 or older', metric: 'fnr', value: 1.14, tolerance: 1.25, status: 'undetermined' },
  ],
  mitigations: ['Own threshold for rural areas'],
});

describe('a bias evaluation in words', () => {
  it('tells a ratio from the published rates when the evaluation does not say, and says so with its unit', () => {
    const view = biasView(evaluation(), 'en');
    expect(view.measure).toBe('ratio');
    expect(view.rows.map((r) => r.figure)).toEqual([
      { key: 'ratio', values: { value: '1.41' } },
      { key: 'ratio', values: { value: '1.14' } },
    ]);
    const differences = evaluation();
    differences.disparities = [{ group: 'rural', metric: 'fnr', value: 0.09, tolerance: 0.05, status: 'fail' }];
    expect(biasView(differences, 'fr').rows[0].figure).toEqual({ key: 'difference', values: { value: '+9' } });
    const unexplained = evaluation();
    unexplained.disparities![0].value = 3.7;
    expect(biasView(unexplained, 'en')).toMatchObject({ measure: undefined, rows: [{ figure: { key: 'asMethodSays' } }, {}] });
    expect(biasView({ ...unexplained, disparityMeasure: 'ratio' }, 'en').measure).toBe('ratio');
  });

  it('says why a result is undetermined: the agency’s words, an interval across the tolerance, or a group too small', () => {
    const reasons = (content: BiasContent) => biasView(content, 'en').rows.map((r) => r.reason);
    expect(reasons(evaluation())).toEqual([undefined, { key: 'reasonUnstated', values: {} }]);
    expect(reasons({ ...evaluation(), minimumGroupSize: 300 })[1]).toEqual({ key: 'reasonSmallGroup', values: { n: '140', minimum: '300' } });

    const withInterval = evaluation();
    withInterval.disparities![1].interval = [0.79, 1.63];
    withInterval.minimumGroupSize = 300;
    expect(reasons(withInterval)[1]).toEqual({ key: 'reasonInterval', values: { interval: '0.79–1.63', tolerance: '1.25' } });
    expect(biasView(withInterval, 'es').rows[1]).toMatchObject({ interval: '0,79–1,63', tolerance: '1,25' });

    const stated = evaluation();
    stated.disparities![0].statusReason = 'Confirmed in two samples.';
    expect(reasons(stated)[0]).toEqual({ free: 'Confirmed in two samples.' });
  });

  it('lists the mitigations of a failed disparity', () => {
    expect(biasView(evaluation(), 'en')).toMatchObject({ failed: true, mitigations: ['Own threshold for rural areas'] });
    expect(biasView({ ...evaluation(), mitigations: undefined }, 'en')).toMatchObject({ failed: true, mitigations: [] });
  });

  it('charts the compared rate of every group that has it, scaled to a round maximum, with intervals', () => {
    const content = evaluation();
    content.disparities!.push({ group: 'rural', metric: 'selection_rate', value: 1.2, tolerance: 1.25, status: 'pass' });
    const [fnr, selection] = biasView(content, 'en').charts;
    expect(fnr).toMatchObject({ metric: 'fnr', max: '50%' });
    expect(fnr.bars.map((b) => [b.group, b.reference, b.label, b.at])).toEqual([
      ['urban', true, '22%', 44],
      ['rural', false, '31%', 62],
      ['60 or older', false, '25%', 50],
    ]);
    expect(selection.bars[1]).toMatchObject({ interval: '33%–39%', low: 66, high: 78, at: 72 });
  });

  it('has every sentence it names in every language', () => {
    const content = { ...evaluation(), minimumGroupSize: 300 };
    content.disparities!.push({ group: 'urban', metric: 'fnr', value: 1, interval: [0.9, 1.3], tolerance: 1.25, status: 'undetermined' });
    const said: Said[] = biasView(content, 'en').rows.flatMap((r) => [r.figure, ...(r.reason ? [r.reason] : [])]);
    const keys = [...new Set([...said.flatMap((s) => ('key' in s ? [s.key] : [])), 'difference', 'asMethodSays', 'reasonUnstated'])];
    for (const lang of LANGUAGES) {
      const bias = (JSON.parse(readFileSync(join(I18N_DIR, lang, 'portal.json'), 'utf8')) as { bias: Record<string, string> }).bias;
      expect([lang, keys.filter((key) => !bias[key])]).toEqual([lang, []]);
    }
  });
});
