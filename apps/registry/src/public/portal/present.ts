import { ASSESSMENT_SCHEMAS, type AssessmentKind } from '../../declarations/assessments/assessment.schemas.js';
import { INCIDENT_SCHEMA } from '../../declarations/incidents/incident.schema.js';
import { AUTHORISATION_SCHEMA } from '../../declarations/authorisations/authorisation.schema.js';
import { DECLARATION_SCHEMA } from '../../declarations/schema/declaration.schema.js';
import type { Redaction } from '../../declarations/schema/projection.js';
import { type BiasContent, type BiasView, biasView } from './bias.js';
import type { Language, PortalI18n } from './i18n.js';

/**
 * Turns public projections into what the pages print: every field with its label in the
 * reader's language, values in plain words (enum labels, dates, country names), and a notice
 * wherever a field was redacted. Free text stays in the declaration's language.
 */

export interface SchemaNode {
  type?: string;
  description?: string;
  required?: readonly string[];
  maxLength?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: readonly unknown[];
  format?: string;
  pattern?: string;
  'x-visibility'?: string;
}

export interface FieldView {
  path: string;
  label: string;
  /** text: one value; list: several; group: nested fields; records: a list of field groups. */
  kind: 'text' | 'list' | 'group' | 'records' | 'redacted';
  text?: string;
  href?: string;
  /** Free text written by the agency, in the declaration's language (not an interface label). */
  free?: boolean;
  items?: string[];
  children?: FieldView[];
  records?: FieldView[][];
  redaction?: { reasonLabel: string; reason: string };
}

// Which list of value labels (fields.json "values") an enum field uses.
const VALUE_LISTS: Record<string, string> = {
  'classification.riskClass': 'riskClass',
  'classification.annexIIIPoint': 'annexIII',
  'identity.lifecycle.status': 'lifecycle',
  'identity.crimeAreas': 'crimeArea',
  'identity.procurementRoute': 'procurementRoute',
  'transparency.sourceCode.availability': 'sourceCodeAvailability',
  authorityType: 'authorityType',
  outcome: 'authorisationOutcome',
  'disparities.metric': 'rateMetric',
  'disparities.status': 'disparityStatus',
  disparityMeasure: 'disparityMeasure',
  kind: 'incidentKind',
  status: 'incidentStatus',
  'risksOfHarm.likelihood': 'level3',
  'risksOfHarm.severity': 'level3',
  relevance: 'genderRelevance',
  expectedEffect: 'genderEffect',
  oecdDacMarker: 'oecdDacMarker',
  'impacts.scale': 'huderiaScale',
  'impacts.scope': 'huderiaScope',
  'impacts.probability': 'huderiaProbability',
  'impacts.reversibility': 'huderiaReversibility',
  framework: 'dpiaFramework',
};

/** Which list of value labels (fields.json "values") the enum field at a path uses, if any. */
export function valueListOf(path: string): string | undefined {
  return VALUE_LISTS[path] ?? VALUE_LISTS[path.split('.').slice(-2).join('.')] ?? VALUE_LISTS[path.split('.').pop()!];
}

// An authorisation this close to its end is marked on the public page.
const ENDING_SOON_DAYS = 30;

export class Presenter {
  private readonly dates: Intl.DateTimeFormat;
  private readonly regions: Intl.DisplayNames;
  private readonly languages: Intl.DisplayNames;
  private readonly numbers: Intl.NumberFormat;

  constructor(
    private readonly i18n: PortalI18n,
    readonly lang: Language,
  ) {
    this.dates = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
    this.regions = new Intl.DisplayNames([lang], { type: 'region' });
    this.languages = new Intl.DisplayNames([lang], { type: 'language' });
    this.numbers = new Intl.NumberFormat(lang);
  }

  /** A count as the reader's language writes it (1,204 · 1.204 · 1 204). */
  number(value: number): string {
    return this.numbers.format(value);
  }

  /** The sections of a declaration, each a group of fields, with redaction notices in place. */
  declaration(content: Record<string, unknown>, redactions: readonly Redaction[]): FieldView[] {
    const schema = DECLARATION_SCHEMA as unknown as SchemaNode;
    const redacted = new Map(redactions.map((r) => [r.field, r]));
    return Object.entries(schema.properties!)
      .filter(([name]) => name !== 'language')
      .map(([name, node]) => this.field('declaration', name, node, content[name], redacted))
      .filter((field): field is FieldView => field !== undefined);
  }

  assessment(kind: AssessmentKind, content: Record<string, unknown>): FieldView[] {
    return this.fields(`assessment.${kind}`, '', ASSESSMENT_SCHEMAS[kind] as unknown as SchemaNode, content, new Map());
  }

  /** A bias evaluation's disparities in words (unit, reason for each result) and its per-group rates. */
  bias(content: BiasContent): BiasView {
    return biasView(content, this.lang);
  }

  incident(content: Record<string, unknown>): FieldView[] {
    return this.fields('incident', '', INCIDENT_SCHEMA as unknown as SchemaNode, content, new Map());
  }

  authorisation(content: Record<string, unknown>): FieldView[] {
    return this.fields('authorisation', '', AUTHORISATION_SCHEMA as unknown as SchemaNode, content, new Map());
  }

  /**
   * Days left of a granted authorisation that ends within 30 days (0: today is its last day),
   * or undefined. Pages are kept at most a minute, so the count follows the calendar.
   */
  daysLeft(authorisation: { status: string; content: Record<string, unknown> }, today = new Date().toISOString().slice(0, 10)): number | undefined {
    const until = authorisation.content.validUntil;
    if (authorisation.status !== 'granted' || typeof until !== 'string') return undefined;
    const days = Math.round((Date.parse(until) - Date.parse(today)) / 86_400_000);
    return days >= 0 && days <= ENDING_SOON_DAYS ? days : undefined;
  }

  value(list: string, value: string | number | boolean): string {
    return this.i18n.label(this.lang, `values.${list}.${String(value)}`) ?? String(value);
  }

  date(value: string | null | undefined): string {
    if (!value) return '';
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : this.dates.format(time);
  }

  country(code: string): string {
    try {
      return this.regions.of(code) ?? code;
    } catch {
      return code;
    }
  }

  languageName(tag: string | null): string {
    if (!tag) return '';
    try {
      return this.languages.of(tag) ?? tag;
    } catch {
      return tag;
    }
  }

  label(path: string): string {
    return this.i18n.label(this.lang, path) ?? humanise(path.split('.').pop()!);
  }

  private fields(prefix: string, path: string, node: SchemaNode, value: Record<string, unknown>, redacted: Map<string, Redaction>): FieldView[] {
    return Object.entries(node.properties ?? {})
      .map(([name, child]) => this.field(prefix, path ? `${path}.${name}` : name, child, value?.[name], redacted))
      .filter((field): field is FieldView => field !== undefined);
  }

  private field(prefix: string, path: string, node: SchemaNode, value: unknown, redacted: Map<string, Redaction>): FieldView | undefined {
    const label = this.label(`${prefix}.${path}`);
    const redaction = redacted.get(path);
    if (redaction) {
      return {
        path,
        label,
        kind: 'redacted',
        redaction: { reasonLabel: this.value('redactionReason', redaction.reasonCode), reason: redaction.reason },
      };
    }
    if (value === undefined || value === null) return undefined;
    if (node.properties && typeof value === 'object' && !Array.isArray(value)) {
      const children = this.fields(prefix, path, node, value as Record<string, unknown>, redacted);
      return children.length ? { path, label, kind: 'group', children } : undefined;
    }
    if (Array.isArray(value)) {
      const items = node.items ?? {};
      if (items.properties) {
        // Record fields are labelled without the list's position: legalBasis.instrument.
        const records = value.map((record) => this.fields(prefix, path, items, record as Record<string, unknown>, new Map()));
        return { path, label, kind: 'records', records };
      }
      return { path, label, kind: 'list', items: value.map((item) => this.scalar(path, items, item)), free: !items.enum && !isCode(items) };
    }
    const text = this.scalar(path, node, value);
    const href = node.format === 'uri' && typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined;
    return { path, label, kind: 'text', text, href, free: node.type === 'string' && !node.enum && !node.format && !isCode(node) };
  }

  private scalar(path: string, node: SchemaNode, value: unknown): string {
    const list = valueListOf(path);
    if (typeof value === 'boolean') return this.value('boolean', value);
    if (list && (typeof value === 'string' || typeof value === 'number')) return this.value(list, value);
    if (node.format === 'date' && typeof value === 'string') return this.date(value);
    // A country field is a code; a legal basis's jurisdiction is a code, EU, or an international body in words.
    if (typeof value === 'string' && (isCode(node) || (path.endsWith('.jurisdiction') && /^[A-Z]{2}$/.test(value) && this.country(value) !== value))) {
      return `${this.country(value)} (${value})`;
    }
    if (Array.isArray(value)) return value.join(' – ');
    return String(value);
  }
}

function isCode(node: SchemaNode): boolean {
  return node.pattern === '^[A-Z]{2}$';
}

function humanise(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
