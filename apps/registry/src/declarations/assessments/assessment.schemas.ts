import { choice, date, flag, type Json, list, object, record, text } from '../schema/schema-builders.js';

/**
 * The assessments an agency records on a tool (PRODUCT.md "Assessments"), one JSON Schema per
 * kind, every property with x-visibility like the declaration's. Assessments are never edited:
 * a newer one of the same kind supersedes the previous.
 */
export const ASSESSMENT_KINDS = ['fria', 'bias', 'gender_impact', 'huderia', 'dpia'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export const DISPARITY_STATUSES = ['pass', 'fail', 'undetermined'] as const;
export const DISPARITY_MEASURES = ['ratio', 'difference'] as const;
export const RATE_METRICS = ['base_rate', 'selection_rate', 'tpr', 'fpr', 'fnr', 'ppv'] as const;

const rate = (description: string): Json => ({ type: 'number', minimum: 0, maximum: 1, description, 'x-visibility': 'public' });
const interval = (description: string): Json => ({
  type: 'array',
  items: { type: 'number', minimum: 0, maximum: 1 },
  minItems: 2,
  maxItems: 2,
  description,
  'x-visibility': 'public',
});

const schema = (kind: AssessmentKind, title: string, properties: Record<string, Json>, required: string[]) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:custodia:schema:assessment:${kind}:1`,
  title,
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});

export const ASSESSMENT_SCHEMAS: Record<AssessmentKind, ReturnType<typeof schema>> = {
  fria: schema('fria', 'Fundamental rights impact assessment (AI Act Art. 27)', {
    completedOn: date('public', 'Date the assessment was completed.'),
    processes: text('public', 'Art. 27(1)(a): the deployer processes in which the system is used.'),
    periodAndFrequency: text('public', 'Art. 27(1)(b): the period and frequency of use.'),
    affectedCategories: list('public', 'Art. 27(1)(c): categories of natural persons and groups likely to be affected.', { type: 'string', minLength: 1, maxLength: 300 }, 30),
    risksOfHarm: list('public', 'Art. 27(1)(d): specific risks of harm to those categories, right by right.', record({
      right: text('public', 'The fundamental right (e.g. non-discrimination, Charter Art. 21).', 300),
      risk: text('public', 'The risk of harm.'),
      likelihood: choice('public', ['low', 'medium', 'high'], 'How likely.'),
      severity: choice('public', ['low', 'medium', 'high'], 'How severe.'),
    }, ['right', 'risk']), 50),
    humanOversight: text('public', 'Art. 27(1)(e): the human oversight measures, per the instructions for use.'),
    measuresIfRisksMaterialise: text('public', 'Art. 27(1)(f): measures if the risks materialise, including governance and complaints.'),
    marketSurveillanceNotified: flag('public', 'Art. 27(3): whether the market surveillance authority was notified of the results.'),
    internalReference: text('oversight', 'Internal file reference.', 300),
  }, ['completedOn', 'processes', 'periodAndFrequency', 'affectedCategories', 'risksOfHarm', 'humanOversight', 'measuresIfRisksMaterialise']),

  bias: schema('bias', 'Bias and fairness evaluation (AI Act Art. 10(2)(f)–(g); CETS 225 Art. 10)', {
    evaluatedOn: date('public', 'Date of the evaluation.'),
    dataset: object('restricted', 'The evaluation data set.', {
      description: text('restricted', 'What it holds and where it comes from.'),
      period: text('restricted', 'The period it covers.', 300),
      size: { type: 'integer', minimum: 1, description: 'Number of cases.', 'x-visibility': 'restricted' },
    }, ['description']),
    sensitiveAttributes: list('public', 'Sensitive attributes evaluated and how they were obtained.', record({
      attribute: text('public', 'e.g. sex, age band, nationality.', 200),
      howObtained: text('public', 'Self-declared, recorded, inferred…', 1000),
    }, ['attribute', 'howObtained']), 20),
    referenceGroup: text('public', 'The group the others are compared with.', 300),
    groups: list('public', 'Per-group figures; intersectional groups allowed (e.g. "women 18–25").', record({
      group: text('public', 'The group.', 300),
      n: { type: 'integer', minimum: 0, description: 'Cases in the group.', 'x-visibility': 'public' },
      baseRate: rate('Share of positives in the group.'),
      selectionRate: rate('Share flagged by the tool.'),
      tpr: rate('True positive rate.'),
      fpr: rate('False positive rate.'),
      fnr: rate('False negative rate.'),
      ppv: rate('Positive predictive value.'),
      selectionRateCI: interval('95 % confidence interval of the selection rate.'),
      fprCI: interval('95 % confidence interval of the false positive rate.'),
    }, ['group', 'n']), 100),
    disparityMeasure: choice('public', DISPARITY_MEASURES, "How each disparity is expressed: ratio (the group's rate divided by the reference group's; 1 is equal) or difference (the group's rate minus the reference group's; 0 is equal)."),
    minimumGroupSize: { type: 'integer', minimum: 1, description: 'The fewest cases a group needs for its disparity to be judged; smaller groups are undetermined.', 'x-visibility': 'public' },
    disparities: list('public', 'Disparities between a group and the reference group, against a tolerance.', record({
      group: text('public', 'The group compared.', 300),
      metric: choice('public', RATE_METRICS, 'The rate compared.'),
      value: { type: 'number', description: 'The disparity, as disparityMeasure says (ratio or difference).', 'x-visibility': 'public' },
      interval: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2, description: '95 % confidence interval of the disparity [low, high].', 'x-visibility': 'public' },
      tolerance: { type: 'number', description: 'The tolerance it is judged against.', 'x-visibility': 'public' },
      status: choice('public', DISPARITY_STATUSES, 'pass, fail or undetermined (e.g. too few cases).'),
      statusReason: text('public', 'Why this result, in words (e.g. why it cannot be determined).', 1000),
    }, ['group', 'metric', 'value', 'tolerance', 'status']), 100),
    method: text('public', 'How disparities are computed and judged.'),
    mitigations: list('public', 'Mitigations adopted; required when a disparity fails.', { type: 'string', minLength: 1, maxLength: 2000 }, 30),
  }, ['evaluatedOn', 'dataset', 'sensitiveAttributes', 'referenceGroup', 'groups', 'disparities']),

  gender_impact: schema('gender_impact', 'Gender impact assessment (EIGE method; OECD DAC gender marker; CETS 225 Art. 10)', {
    assessedOn: date('public', 'Date of the assessment.'),
    relevance: choice('public', ['relevant', 'not_relevant'], 'EIGE step 1: is the tool gender-relevant?'),
    rationale: text('public', 'Why.'),
    sexDisaggregatedData: object('public', 'EIGE step 2: data available by sex.', {
      available: flag('public', 'Whether sex-disaggregated data exist.'),
      description: text('public', 'Which data.'),
    }, ['available']),
    analysis: text('public', 'EIGE step 3: the gender analysis.'),
    expectedEffect: choice('public', ['reduces', 'maintains', 'increases'], 'EIGE step 4: the expected effect on gender inequality.'),
    intersectionalFactors: list('public', 'Factors intersecting with gender (age, disability, migration status…).', { type: 'string', minLength: 1, maxLength: 300 }, 20),
    proposals: list('public', 'EIGE step 5: proposals to improve the tool or its use.', { type: 'string', minLength: 1, maxLength: 2000 }, 20),
    oecdDacMarker: { type: 'integer', enum: [0, 1, 2], description: 'OECD DAC gender equality marker: 0 not targeted, 1 significant, 2 principal.', 'x-visibility': 'public' },
    markerCriteria: text('public', 'How the marker criteria are met.'),
  }, ['assessedOn', 'relevance', 'rationale', 'expectedEffect', 'oecdDacMarker']),

  huderia: schema('huderia', 'HUDERIA risk and impact assessment (Council of Europe; CETS 225 Art. 16)', {
    assessedOn: date('public', 'Date of the assessment.'),
    contextAnalysis: text('public', 'Context-based risk analysis.'),
    stakeholderEngagement: text('public', 'Who was engaged, and how.'),
    impacts: list('public', 'Impacts on human rights, democracy and the rule of law.', record({
      impact: text('public', 'The impact.'),
      scale: choice('public', ['low', 'moderate', 'high', 'very_high'], 'How grave.'),
      scope: choice('public', ['individual', 'group', 'society'], 'How wide.'),
      probability: choice('public', ['unlikely', 'possible', 'likely', 'almost_certain'], 'How probable.'),
      reversibility: choice('public', ['reversible', 'difficult', 'irreversible'], 'How reversible.'),
    }, ['impact', 'scale', 'scope', 'probability', 'reversibility']), 50),
    mitigationPlan: text('public', 'The mitigation plan.'),
    nextReview: date('public', 'When it will be reviewed.'),
  }, ['assessedOn', 'contextAnalysis', 'impacts', 'mitigationPlan', 'nextReview']),

  dpia: schema('dpia', 'Data protection impact assessment (GDPR Art. 35 / Law Enforcement Directive Art. 27)', {
    framework: choice('public', ['gdpr_art_35', 'led_art_27'], 'GDPR Art. 35 or Law Enforcement Directive (EU) 2016/680 Art. 27 (or its national equivalent).'),
    completedOn: date('public', 'Date it was completed.'),
    reference: text('restricted', 'Its reference.', 300),
    summary: text('public', 'What it concluded.'),
    dpoConsulted: flag('public', 'Whether the data protection officer was consulted.'),
    supervisoryAuthorityConsulted: flag('public', 'Prior consultation of the supervisory authority (GDPR Art. 36 / LED Art. 28).'),
  }, ['framework', 'completedOn', 'summary']),
};
