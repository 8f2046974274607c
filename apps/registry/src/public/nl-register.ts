import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { type FieldError, ValidationProblem } from '../http/problem.js';
import type { ExportedTool } from './public-export.js';
import { PUBLIC_DIR } from './portal/portal-files.js';

/**
 * The Dutch Algoritmeregister's Publicatiestandaard v1.0.0 (MinBZK, EUPL-1.2; its JSON Schema is
 * kept in standards/ as published): every public declaration written in Dutch as one of its
 * records, and one of its records read back as a draft declaration. docs/mappings.md says where
 * each of its fields comes from, or that Custodia has no equivalent.
 */
export const NL_SCHEMA = JSON.parse(readFileSync(join(PUBLIC_DIR, 'standards', 'nl-algoritmeregister-publicatiestandaard-1.0.0.schema.json'), 'utf8')) as {
  $id: string;
  title: string;
  required: string[];
  properties: Record<string, { maxLength?: number; enum?: string[] }>;
};

export type NlRecord = Record<string, string | string[]>;

// Draft-07, as the standard is written; its own annotations (name, instructions, category,
// display, example) are not JSON Schema keywords, hence not strict.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateNl = ajv.compile(NL_SCHEMA);

/** The problems of a record against the standard's schema, one per field (none: it is a v1.0.0 record). */
export function nlErrors(record: unknown): FieldError[] {
  if (validateNl(record)) return [];
  return (validateNl.errors ?? []).map((error: ErrorObject) => {
    const field = [...error.instancePath.split('/').slice(1), ...(error.keyword === 'required' ? [String(error.params.missingProperty)] : [])].join('.') || '(record)';
    return { field, message: error.keyword === 'required' ? `${field} is required by the Publicatiestandaard v1.0.0` : `${field} ${error.message ?? 'is invalid'}` };
  });
}

/** Throws a 400 naming each field of a record that is not v1.0.0. */
export function assertNlRecord(record: unknown): asserts record is NlRecord {
  const errors = nlErrors(record);
  if (errors.length) throw new ValidationProblem(errors);
}

const STATUS: Record<string, string> = { planned: 'In ontwikkeling', pilot: 'In ontwikkeling', in_use: 'In gebruik', suspended: 'Buiten gebruik', retired: 'Buiten gebruik' };
const CATEGORY: Record<string, string> = {
  prohibited_practice_exception: 'Hoog-risico AI-systeem (Categorie A)',
  high_risk: 'Hoog-risico AI-systeem (Categorie A)',
  limited_risk: 'Impactvolle algoritmes (Categorie B)',
  minimal_risk: 'Overige algoritmes (Categorie C)',
  outside_scope: 'Overige algoritmes (Categorie C)',
};
// The policy areas of the "Thema-indeling voor Officiële Publicaties" where each kind of agency works.
const THEMES: Record<string, string[]> = {
  police: ['Openbare orde en veiligheid'],
  border: ['Openbare orde en veiligheid', 'Migratie en integratie'],
  customs: ['Openbare orde en veiligheid'],
  financial_intelligence: ['Openbare orde en veiligheid'],
  prosecution: ['Recht'],
  judiciary: ['Recht'],
  penitentiary: ['Recht'],
  ministry: ['Recht'],
  other: ['Openbare orde en veiligheid'],
};
const ASSESSMENT_NAMES: Record<string, string> = {
  fria: 'Grondrechteneffectbeoordeling (AI-verordening, art. 27)',
  dpia: 'Data Protection Impact Assessment (DPIA)',
  bias: 'Evaluatie van vooringenomenheid (bias)',
  gender_impact: 'Gendereffectbeoordeling',
  huderia: 'HUDERIA (Raad van Europa)',
};

export interface NlExport {
  standard: string;
  schema: string;
  generatedAt: string;
  records: NlRecord[];
  /** Public declarations that are not records of the Dutch register, and why. */
  notExported: Array<{ reference: string; language: string | null; reason: string }>;
}

/** Every public tool's latest published revision as a Publicatiestandaard record, if written in Dutch. */
export function toNlExport(tools: ExportedTool[], origin: string): NlExport {
  const records: NlRecord[] = [];
  const notExported: NlExport['notExported'] = [];
  for (const tool of tools) {
    if (tool.language?.split('-')[0] === 'nl') records.push(nlRecord(tool, origin));
    else notExported.push({ reference: tool.reference, language: tool.language, reason: 'Not written in Dutch: the standard registers algorithms in Dutch only (language "nld").' });
  }
  return { standard: NL_SCHEMA.title, schema: NL_SCHEMA.$id, generatedAt: new Date().toISOString(), records, notExported };
}

function nlRecord(tool: ExportedTool, origin: string): NlRecord {
  const c = tool.content as Content;
  const identity = c.identity ?? {};
  const lifecycle = identity.lifecycle ?? {};
  const transparency = c.transparency ?? {};
  const oversight = transparency.humanOversight ?? {};
  const legalBases = c.legalBasis ?? [];
  const page = `${origin}/en/tools/${tool.id}`;
  const since = lifecycle.inUseSince ?? lifecycle.pilotSince ?? lifecycle.plannedSince ?? (tool.revisions[0]?.publishedAt ?? tool.publishedAt);
  const ended = lifecycle.retiredOn ?? lifecycle.suspendedSince;
  const assessments = [...new Set(tool.assessments.filter((a) => a.current).map((a) => ASSESSMENT_NAMES[a.kind]))];
  const record: NlRecord = {
    name: cut(identity.name ?? tool.reference, 'name'),
    description_short: cut(identity.shortDescription ?? '', 'description_short'),
    organization: cut(tool.agency.name, 'organization'),
    theme: THEMES[tool.agency.kind] ?? THEMES.other,
    status: STATUS[lifecycle.status ?? 'planned'],
    start_date: since.slice(0, 7),
    ...(ended && STATUS[lifecycle.status ?? ''] === 'Buiten gebruik' ? { end_date: ended.slice(0, 7) } : {}),
    // The registration's own page, whose form takes questions and error reports from anyone.
    contact: `${page}/report`,
    link: page,
    publication_category: CATEGORY[c.classification?.riskClass ?? 'outside_scope'],
    source_link: `${origin}/api/v1/public/tools/${tool.id}`,
    purpose_and_impact: cut(joined([identity.intendedPurpose, ...(identity.functions ?? [])]), 'purpose_and_impact'),
    considerations: cut(c.classification?.rationale ?? '', 'considerations'),
    human_intervention: cut(joined([transparency.humanReview, oversight.understandCapacities, oversight.automationBias, oversight.interpretOutput, oversight.decideNotToUse, oversight.interveneOrStop]), 'human_intervention'),
    risk_management: cut(joined([transparency.affectedPersons?.howToContest, oversight.interveneOrStop]), 'risk_management'),
    ...(legalBases.length ? { legal_basis: cut(joined(legalBases.map((b) => [[b.instrument, b.article].filter(Boolean).join(', '), b.summary].filter(Boolean).join(': '))), 'legal_basis') } : {}),
    ...(legalBases[0]?.url ? { legal_basis_link: legalBases[0].url, legal_basis_title: cut(legalBases[0].instrument ?? '', 'legal_basis_title') } : {}),
    impact_assessments: assessments.join(', '),
    ...(assessments.length ? { impact_assessment_link: `${page}#assessments` } : { impact_assessment_explanation: 'Er is in Custodia geen impacttoets voor dit algoritme geregistreerd.' }),
    data: cut(joined([transparency.inputs, transparency.trainingData?.origin]), 'data'),
    technical_operation: cut(joined([transparency.modelType, ...(transparency.techniques ?? []), transparency.outputs, transparency.explainability]), 'technical_operation'),
    supplier: cut(identity.procurementRoute === 'in_house' ? 'Intern ontwikkeld' : (identity.provider?.name ?? ''), 'supplier'),
    language: 'nld',
    schema: '1.0.0',
    source_id: tool.reference,
    search_terms: [tool.reference, identity.tradeName, ...(identity.crimeAreas ?? [])].filter(Boolean).join(', '),
  };
  return record;
}

export interface NlImport {
  /** The declaration content the record maps to, for a new draft. */
  content: Record<string, unknown>;
  /** The record's fields that have no place in the declaration, with their values: never silently dropped. */
  unmapped: Array<{ field: string; value: string | string[]; reason: string }>;
}

const NOT_MAPPED: Record<string, string> = {
  organization: 'The agency is the one you declare for: it is not taken from the record.',
  theme: 'Custodia has no policy-area field; its crime areas are a different list.',
  contact: 'Custodia publishes no contact address: the public reaches the agency through the report form of the tool page.',
  link: 'Custodia publishes its own page for each tool.',
  source_link: 'Custodia has no field for another register\'s entry.',
  considerations: 'Custodia has no field for the weighing of pros and cons; the fundamental rights impact assessment (an assessment) holds it.',
  risk_management: 'Custodia has no single risk-management field; the fundamental rights impact assessment holds the measures.',
  processing_register_link: 'Custodia has no field for the GDPR processing register.',
  impact_assessments: 'Assessments are records of their own in Custodia: record each one on the tool.',
  impact_assessment_link: 'Assessments are records of their own in Custodia.',
  impact_assessment_explanation: 'Assessments are records of their own in Custodia.',
  data_source_link: 'Custodia has no field for a link to a data source.',
  data_source_title: 'Custodia has no field for a data source\'s title.',
  source_code_link: 'Custodia keeps where the source code is for the oversight body only: set transparency.sourceCode yourself.',
  source_id: 'The tool gets a Custodia reference of its own.',
  search_terms: 'Custodia has no keyword field.',
};

/** One Publicatiestandaard v1.0.0 record as the content of a new draft (already validated against the standard's schema). */
export function fromNlRecord(record: NlRecord): NlImport {
  const text = (key: string) => (typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined);
  const status = ({ 'In ontwikkeling': 'planned', 'In gebruik': 'in_use', 'Buiten gebruik': 'retired' } as Record<string, string>)[String(record.status)];
  const month = (key: string) => (text(key) ? `${text(key)}-01` : undefined);
  const lifecycle = compact({
    status,
    plannedSince: status === 'planned' ? month('start_date') : undefined,
    inUseSince: status !== 'planned' ? month('start_date') : undefined,
    retiredOn: status === 'retired' ? month('end_date') : undefined,
  });
  const supplier = text('supplier');
  const category = String(record.publication_category ?? '');
  const legalBasis = text('legal_basis') || text('legal_basis_link') || text('legal_basis_title')
    ? [compact({ jurisdiction: 'NL', instrument: text('legal_basis_title') ?? text('legal_basis')?.slice(0, 500), url: text('legal_basis_link'), summary: text('legal_basis') })]
    : undefined;
  const content = compact({
    language: 'nl',
    identity: compact({
      name: text('name'),
      shortDescription: text('description_short'),
      intendedPurpose: text('purpose_and_impact'),
      ...(supplier === 'Intern ontwikkeld' ? { procurementRoute: 'in_house' } : supplier ? { provider: { name: supplier } } : {}),
      countriesOfUse: ['NL'],
      lifecycle,
    }),
    // Category A is a high-risk AI system; B and C say nothing the AI Act's classes do.
    classification: category.startsWith('Hoog-risico') ? { riskClass: 'high_risk' } : undefined,
    transparency: compact({
      modelType: text('technical_operation'),
      inputs: text('data'),
      humanReview: text('human_intervention'),
    }),
    legalBasis,
  });
  const used = new Set(['name', 'description_short', 'purpose_and_impact', 'supplier', 'status', 'start_date', 'end_date', 'technical_operation', 'data', 'human_intervention', 'legal_basis', 'legal_basis_link', 'legal_basis_title', 'language', 'schema']);
  if (category.startsWith('Hoog-risico')) used.add('publication_category');
  const unmapped = Object.entries(record)
    .filter(([field, value]) => !used.has(field) && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([field, value]) => ({
      field,
      value,
      reason: field === 'publication_category' ? 'Categories B and C of the Dutch register have no equivalent among the AI Act\'s risk classes: choose one.' : (NOT_MAPPED[field] ?? 'Not a field of the Publicatiestandaard v1.0.0.'),
    }));
  return { content: content ?? {}, unmapped };
}

type Content = {
  identity?: {
    name?: string; shortDescription?: string; intendedPurpose?: string; functions?: string[]; tradeName?: string; procurementRoute?: string; crimeAreas?: string[];
    provider?: { name?: string };
    lifecycle?: { status?: string; plannedSince?: string; pilotSince?: string; inUseSince?: string; suspendedSince?: string; retiredOn?: string };
  };
  classification?: { riskClass?: string; rationale?: string };
  transparency?: {
    modelType?: string; techniques?: string[]; inputs?: string; outputs?: string; explainability?: string; humanReview?: string;
    trainingData?: { origin?: string };
    humanOversight?: Record<string, string | undefined>;
    affectedPersons?: { howToContest?: string };
  };
  legalBasis?: Array<{ jurisdiction?: string; instrument?: string; article?: string; url?: string; summary?: string }>;
};

function joined(parts: Array<string | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n');
}

/** A text cut to the standard's maximum length for the field, marked with an ellipsis where cut. */
function cut(text: string, field: string): string {
  const max = NL_SCHEMA.properties[field]?.maxLength;
  return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}
