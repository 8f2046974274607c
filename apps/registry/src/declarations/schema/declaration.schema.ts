/**
 * The declaration of an AI tool (PRODUCT.md "The declaration"): the one field dictionary from
 * which the API validates content, the public view is projected and the documentation is served
 * (`GET /api/v1/schema`). Every property carries `x-visibility`:
 *
 * - `public`: always shown to the public;
 * - `restricted`: public unless the agency redacts it, with a reason;
 * - `oversight`: never public; the agency and the oversight body only;
 * - `sensitive_operational` (AI Act Art. 3(38)): never public, never exported or notified.
 *
 * References: AI Act = Regulation (EU) 2024/1689; CETS 225 = Council of Europe Framework
 * Convention on AI and Human Rights, Democracy and the Rule of Law.
 */

import { draftSchemaOf } from './completeness.js';
import { choice, country, date, flag, item, list, object, record, text } from './schema-builders.js';

export { VISIBILITIES, type Visibility } from './schema-builders.js';

export const DECLARATION_SCHEMA_VERSION = 1;
export const DECLARATION_SCHEMA_ID = `urn:custodia:schema:declaration:${DECLARATION_SCHEMA_VERSION}`;

export const RISK_CLASSES = ['prohibited_practice_exception', 'high_risk', 'limited_risk', 'minimal_risk', 'outside_scope'] as const;
export const LIFECYCLES = ['planned', 'pilot', 'in_use', 'suspended', 'retired'] as const;
// AI Act Annex III: 1 biometrics, 6 law enforcement, 7 migration, asylum and border control,
// 8 administration of justice and democratic processes.
export const ANNEX_III_POINTS = ['1(a)', '1(b)', '1(c)', '6(a)', '6(b)', '6(c)', '6(d)', '6(e)', '7(a)', '7(b)', '7(c)', '7(d)', '8(a)', '8(b)'] as const;
// AI Act Art. 5(1)(a)–(h).
export const ARTICLE_5_PRACTICES = {
  a: 'subliminal, manipulative or deceptive techniques',
  b: 'exploitation of vulnerabilities (age, disability, social or economic situation)',
  c: 'social scoring',
  d: 'risk assessment of a natural person committing a crime based solely on profiling or personality traits',
  e: 'untargeted scraping of facial images to build facial recognition databases',
  f: 'emotion recognition in the workplace or in education',
  g: 'biometric categorisation inferring race, political opinions, trade union membership, religion, sex life or sexual orientation',
  h: "'real-time' remote biometric identification in publicly accessible spaces for law enforcement",
} as const;
export const CRIME_AREAS = [
  'violent_crime', 'sexual_offences', 'gender_based_violence', 'child_sexual_abuse', 'terrorism', 'organised_crime',
  'drug_trafficking', 'human_trafficking', 'migrant_smuggling', 'cybercrime', 'fraud', 'corruption', 'money_laundering',
  'property_crime', 'traffic_offences', 'environmental_crime', 'public_order', 'missing_persons', 'general',
] as const;
export const PROCUREMENT_ROUTES = ['in_house', 'open_tender', 'framework_agreement', 'direct_award', 'donation', 'research_partnership', 'free_software', 'other'] as const;
export const SOURCE_CODE_AVAILABILITY = ['open_source', 'available_to_oversight', 'escrow', 'proprietary_closed'] as const;

const article5Screening = object(
  'public',
  'Screening against each prohibited practice of AI Act Art. 5(1): does the tool perform it, and why not (or, for (h), under which exception)?',
  Object.fromEntries(
    Object.entries(ARTICLE_5_PRACTICES).map(([letter, practice]) => [
      letter,
      object('public', `Art. 5(1)(${letter}): ${practice}.`, {
        performs: flag('public', `Whether the tool performs this practice (Art. 5(1)(${letter})).`),
        explanation: text('public', 'Why it does not, or on which legal exception it relies.', 2000),
      }, ['performs']),
    ]),
  ),
  Object.keys(ARTICLE_5_PRACTICES),
);

export const DECLARATION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: DECLARATION_SCHEMA_ID,
  title: 'Declaration of an AI tool used by a justice or security agency',
  description:
    'The content of one revision of a tool declaration. Every property carries x-visibility: public, restricted ' +
    '(public unless redacted with a reason), oversight (never public) or sensitive_operational (never public, never exported).',
  'x-schema-version': DECLARATION_SCHEMA_VERSION,
  type: 'object',
  additionalProperties: false,
  required: ['identity', 'classification', 'transparency', 'legalBasis'],
  properties: {
    language: {
      type: 'string',
      pattern: '^[a-z]{2,3}(-[A-Z]{2})?$',
      description: 'The language the declaration is written in (a BCP 47 tag such as es, pt-BR or fr); the portal labels the content with it and never translates it.',
      'x-visibility': 'public',
    },
    identity: object('public', 'What the tool is, who provides it and where it is used (AI Act Annex VIII section C).', {
      name: text('public', 'The name the agency uses for the tool.', 200),
      shortDescription: text('public', 'One or two sentences a member of the public can follow.', 1000),
      intendedPurpose: text('public', 'The purpose the agency uses it for (AI Act Art. 3(12)), in plain language.'),
      functions: list('public', 'What the tool does, one function per item (e.g. "transcribes interviews").', item('A function.', 300), 30),
      provider: object('public', 'The provider or vendor of the system (AI Act Art. 3(3)).', {
        name: text('public', 'Provider name; "in-house" when the agency built it.', 300),
        country: { ...country, 'x-visibility': 'public' },
      }, ['name']),
      tradeName: text('public', 'The trade name of the product, if any.', 300),
      version: text('restricted', 'The version in use.', 100),
      procurementRoute: choice('restricted', PROCUREMENT_ROUTES, 'How the agency obtained the tool.'),
      countriesOfUse: list('public', 'Countries where the tool is used.', country, 60),
      regionsOfUse: list('restricted', 'Regions, provinces or cities of use.', item('A region.', 200), 100),
      lifecycle: object('public', 'Where the tool is in its life, with dates (YYYY-MM-DD).', {
        status: choice('public', LIFECYCLES, 'planned, pilot, in_use, suspended or retired.'),
        plannedSince: date('public', 'Date the use was decided.'),
        pilotSince: date('public', 'First day of a pilot.'),
        inUseSince: date('public', 'First day of operational use.'),
        suspendedSince: date('public', 'Date of suspension.'),
        retiredOn: date('public', 'Date of retirement.'),
      }, ['status']),
      crimeAreas: list('public', 'Crime areas the tool is used for.', { type: 'string', enum: CRIME_AREAS }, CRIME_AREAS.length),
      euDatabase: object('public', 'Registration in the EU database for high-risk systems (AI Act Art. 49, Art. 71).', {
        reference: text('public', 'The registration reference.', 200),
        verified: flag('public', 'Whether the agency verified the provider registered the system (AI Act Art. 26(8)).'),
      }),
      operationalContact: text('sensitive_operational', 'Unit operating the tool and how to reach it (never published).', 1000),
    }, ['name', 'shortDescription', 'intendedPurpose', 'provider', 'lifecycle']),

    classification: object('public', 'Classification under the AI Act.', {
      riskClass: choice('public', RISK_CLASSES, 'AI Act risk class: prohibited_practice_exception (Art. 5(1)(h) with Art. 5(2)–(7)), high_risk (Art. 6, Annex III), limited_risk (Art. 50), minimal_risk or outside_scope (e.g. Art. 2(3)).'),
      rationale: text('public', 'Why this class applies.'),
      annexIIIPoint: choice('public', ANNEX_III_POINTS, 'The Annex III point that makes the tool high-risk: 1 biometrics, 6 law enforcement, 7 migration and border control, 8 justice.'),
      article5Screening,
    }, ['riskClass', 'rationale', 'article5Screening']),

    transparency: object('public', 'How the tool works and how people stay in control (AI Act Arts. 10, 13, 14, 26; CETS 225 Arts. 8–9).', {
      modelType: text('public', 'The kind of model (e.g. gradient-boosted trees, large language model, rules plus classifier).', 500),
      techniques: list('public', 'Techniques used.', item('A technique.', 300), 30),
      inputs: text('public', 'What data goes in.'),
      outputs: text('public', 'What comes out and how it is presented to staff.'),
      trainingData: object('restricted', 'Training and validation data (AI Act Art. 10).', {
        origin: text('restricted', 'Where the data comes from.'),
        period: text('restricted', 'The period the data covers.', 300),
        size: text('restricted', 'How much data (records, persons, hours).', 300),
        sensitiveAttributes: list('restricted', 'Special categories or sensitive attributes present (AI Act Art. 10(5)).', item('An attribute.', 200), 30),
        proxies: text('restricted', 'Variables that can stand in for sensitive attributes (e.g. postcode for ethnicity).'),
        representativeness: text('restricted', 'How representative the data is of the people the tool is used on.'),
        knownGaps: text('restricted', 'Known gaps and biases in the data.'),
      }),
      performance: list('restricted', 'Accuracy and other performance metrics with their test conditions (AI Act Art. 13(3)(b)(ii), Art. 15).',
        record({
          metric: text('restricted', 'The metric (e.g. recall, false match rate).', 200),
          value: text('restricted', 'The measured value, with its unit or confidence interval.', 200),
          testConditions: text('restricted', 'On what data and under which conditions.', 2000),
        }, ['metric', 'value']), 30),
      explainability: text('public', 'How an output can be explained to staff and to the person concerned.'),
      humanOversight: object('public', 'The human-oversight capabilities of AI Act Art. 14(4)(a)–(e): how each is ensured.', {
        understandCapacities: text('public', 'Art. 14(4)(a): staff understand the capacities and limits of the system and monitor it.'),
        automationBias: text('public', 'Art. 14(4)(b): staff remain aware of automation bias.'),
        interpretOutput: text('public', 'Art. 14(4)(c): staff can correctly interpret the output.'),
        decideNotToUse: text('public', 'Art. 14(4)(d): staff can decide not to use, or to disregard, override or reverse the output.'),
        interveneOrStop: text('public', 'Art. 14(4)(e): staff can intervene or stop the system.'),
      }),
      humanReview: text('public', 'Who reviews outputs before they affect a person, and how (AI Act Art. 14(5) for biometric identification).'),
      sourceCode: object('public', 'Whether the source code can be examined.', {
        availability: choice('public', SOURCE_CODE_AVAILABILITY, 'open_source, available_to_oversight, escrow or proprietary_closed.'),
        location: text('oversight', 'Where the oversight body can examine it.', 1000),
      }, ['availability']),
      logging: object('public', 'Automatic logs kept by the deployer (AI Act Art. 12, Art. 26(6): at least six months).', {
        retentionMonths: { type: 'integer', minimum: 6, maximum: 1200, description: 'Months the logs are kept (at least 6).', 'x-visibility': 'public' },
        description: text('oversight', 'What is logged and where.'),
      }, ['retentionMonths']),
      affectedPersons: object('public', 'What affected persons are told and how they can contest an outcome (AI Act Art. 86; CETS 225 Art. 14).', {
        informationGiven: text('public', 'What people affected by an output are told, and when.'),
        howToContest: text('public', 'How to challenge an outcome, and before whom.'),
      }, ['howToContest']),
      deploymentDetails: text('sensitive_operational', 'Operational deployment details whose disclosure would harm operations (AI Act Art. 3(38)); never published.'),
    }, ['modelType', 'inputs', 'outputs', 'humanOversight', 'affectedPersons']),

    legalBasis: {
      ...list('public', 'The legal basis for the use: one entry per instrument (at least one).', record({
        jurisdiction: text('public', 'Country code (ISO 3166-1 alpha-2), EU or an international body.', 100),
        instrument: text('public', 'The law, regulation or decision.', 500),
        article: text('public', 'The article or section.', 200),
        url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'Where the text can be read.', 'x-visibility': 'public' },
        summary: text('public', 'What it allows, in plain language.'),
      }, ['jurisdiction', 'instrument']), 20),
      minItems: 1,
    },
  },
} as const;

/**
 * What a draft is checked against: the declaration's every type, length and enum, nothing
 * required. A clerk fills a declaration over days; completeness is checked at submission.
 */
export const DECLARATION_DRAFT_SCHEMA = draftSchemaOf(DECLARATION_SCHEMA, `${DECLARATION_SCHEMA_ID}:draft`);
