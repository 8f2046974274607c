import { RATE_METRICS } from '../../declarations/assessments/assessment.schemas.js';

/**
 * What the portal says about a bias evaluation beyond its fields: what each disparity's figure
 * is (a ratio to the reference group's rate, or a difference), why a result could not be
 * determined, and the per-group rates a chart draws. Free text stays the agency's; everything
 * here is numbers and keys of portal.json for the template to put in words.
 */

type Metric = (typeof RATE_METRICS)[number];
type Measure = 'ratio' | 'difference';

interface Group {
  group: string;
  n: number;
  [rate: string]: unknown;
}

interface Disparity {
  group: string;
  metric: Metric;
  value: number;
  tolerance: number;
  status: 'pass' | 'fail' | 'undetermined';
  interval?: [number, number];
  statusReason?: string;
}

export interface BiasContent {
  referenceGroup?: string;
  groups?: Group[];
  disparities?: Disparity[];
  disparityMeasure?: Measure;
  minimumGroupSize?: number;
  mitigations?: string[];
  method?: string;
}

/** A sentence of portal.json ("bias.<key>") with its values, or the agency's own words. */
export type Said = { key: string; values: Record<string, string | number> } | { free: string };

export interface DisparityRow {
  group: string;
  metric: Metric;
  status: Disparity['status'];
  /** The figure with its unit ("1.41 × the reference rate"). */
  figure: Said;
  interval?: string;
  tolerance: string;
  reason?: Said;
}

export interface RateChart {
  metric: Metric;
  /** The scale runs from 0 to this rate; positions are percentages of it. */
  max: string;
  bars: Array<{ group: string; reference: boolean; label: string; interval?: string; at: number; low?: number; high?: number }>;
}

export interface BiasView {
  measure?: Measure;
  rows: DisparityRow[];
  charts: RateChart[];
  failed: boolean;
  mitigations: string[];
}

// Where each compared rate, and its interval when the schema has one, stands in a group's figures.
const RATE_FIELDS: Record<Metric, { rate: string; interval?: string }> = {
  base_rate: { rate: 'baseRate' },
  selection_rate: { rate: 'selectionRate', interval: 'selectionRateCI' },
  tpr: { rate: 'tpr' },
  fpr: { rate: 'fpr', interval: 'fprCI' },
  fnr: { rate: 'fnr' },
  ppv: { rate: 'ppv' },
};

export function biasView(content: BiasContent, lang: string): BiasView {
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat(lang, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const groups = content.groups ?? [];
  const reference = groups.find((g) => g.group === content.referenceGroup);
  const disparities = content.disparities ?? [];
  const measure = content.disparityMeasure ?? inferMeasure(disparities, groups, reference);
  const range = ([low, high]: [number, number]) => `${number.format(low)}–${number.format(high)}`;

  const rows = disparities.map((d): DisparityRow => {
    const group = groups.find((g) => g.group === d.group);
    return {
      group: d.group,
      metric: d.metric,
      status: d.status,
      figure:
        measure === 'ratio' ? { key: 'ratio', values: { value: number.format(d.value) } }
        : measure === 'difference' ? { key: 'difference', values: { value: points.format(d.value * 100) } }
        : { key: 'asMethodSays', values: { value: number.format(d.value) } },
      interval: d.interval ? range(d.interval) : undefined,
      tolerance: number.format(d.tolerance),
      reason: reasonFor(d, group, content.minimumGroupSize, range, number),
    };
  });

  const metrics = [...new Set(disparities.map((d) => d.metric))];
  const charts = metrics.flatMap((metric): RateChart[] => {
    const fields = RATE_FIELDS[metric];
    const bars = groups
      .filter((g) => typeof g[fields.rate] === 'number')
      .map((g) => {
        const rate = g[fields.rate] as number;
        const ci = fields.interval ? (g[fields.interval] as [number, number] | undefined) : undefined;
        return { group: g.group, rate, ci };
      });
    if (bars.length < 2) return [];
    const max = niceCeiling(Math.max(...bars.map((b) => b.ci?.[1] ?? b.rate)));
    const at = (rate: number) => Math.round((rate / max) * 1000) / 10;
    return [{
      metric,
      max: percent.format(max),
      bars: bars.map(({ group, rate, ci }) => ({
        group,
        reference: group === content.referenceGroup,
        label: percent.format(rate),
        interval: ci ? `${percent.format(ci[0])}–${percent.format(ci[1])}` : undefined,
        at: at(rate),
        low: ci ? at(ci[0]) : undefined,
        high: ci ? at(ci[1]) : undefined,
      })),
    }];
  });

  const failed = disparities.some((d) => d.status === 'fail');
  return { measure, rows, charts, failed, mitigations: content.mitigations ?? [] };
}

/** Why a result is what it is: the agency's words first, else what the figures show. */
function reasonFor(
  d: Disparity,
  group: Group | undefined,
  minimum: number | undefined,
  range: (interval: [number, number]) => string,
  number: Intl.NumberFormat,
): Said | undefined {
  if (d.statusReason) return { free: d.statusReason };
  if (d.status !== 'undetermined') return undefined;
  if (d.interval && d.interval[0] < d.tolerance && d.tolerance < d.interval[1]) {
    return { key: 'reasonInterval', values: { interval: range(d.interval), tolerance: number.format(d.tolerance) } };
  }
  if (group && minimum && group.n < minimum) return { key: 'reasonSmallGroup', values: { n: number.format(group.n), minimum: number.format(minimum) } };
  return { key: 'reasonUnstated', values: {} };
}

/**
 * An evaluation recorded before disparityMeasure existed: the figures tell whether its values
 * are ratios or differences when each matches the groups' published rates (to rounding).
 */
function inferMeasure(disparities: Disparity[], groups: Group[], reference: Group | undefined): Measure | undefined {
  if (!reference || disparities.length === 0) return undefined;
  const fits = (measure: Measure) =>
    disparities.every((d) => {
      const field = RATE_FIELDS[d.metric].rate;
      const own = groups.find((g) => g.group === d.group)?.[field];
      const base = reference[field];
      if (typeof own !== 'number' || typeof base !== 'number' || base === 0) return false;
      const expected = measure === 'ratio' ? own / base : own - base;
      return Math.abs(expected - d.value) <= 0.015 + 0.01 * Math.abs(expected);
    });
  return fits('ratio') ? 'ratio' : fits('difference') ? 'difference' : undefined;
}

/** The smallest of 0.1, 0.2, 0.25, 0.5 and 1 (times a power of ten) at or above a rate. */
function niceCeiling(rate: number): number {
  if (rate <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(rate));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= rate - 1e-12)!;
  return Math.min(1, step * power);
}
