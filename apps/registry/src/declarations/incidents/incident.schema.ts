import { choice, date, flag, list, text } from '../schema/schema-builders.js';

/**
 * A serious incident on a tool (AI Act Art. 26(5), Art. 73; CETS 225 Art. 16), every property
 * with x-visibility like the declaration's. Recorded by the tool's agency; each change is a new,
 * immutable version.
 */
// AI Act Art. 3(49): (a) death or serious harm to health, (b) serious and irreversible disruption
// of critical infrastructure, (c) infringement of obligations protecting fundamental rights,
// (d) serious harm to property or the environment.
export const INCIDENT_KINDS = ['death', 'serious_harm_to_health', 'critical_infrastructure', 'fundamental_rights', 'property_or_environment'] as const;
export const INCIDENT_STATUSES = ['open', 'investigating', 'closed'] as const;

export const INCIDENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:custodia:schema:incident:1',
  title: 'Serious incident (AI Act Art. 3(49), Art. 26(5), Art. 73)',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'foundOn', 'summary', 'status'],
  properties: {
    kind: choice('public', INCIDENT_KINDS, 'Art. 3(49): death, serious_harm_to_health, critical_infrastructure (serious and irreversible disruption), fundamental_rights (infringement of obligations protecting them), property_or_environment.'),
    widespread: flag('public', 'A widespread infringement (Art. 3(61)): the authority must be told within 2 days (Art. 73(3)).'),
    occurredOn: date('public', 'When it happened, if known.'),
    foundOn: date('public', 'When the agency became aware of it: the notification deadline runs from this day (Art. 73(2)).'),
    summary: text('public', 'What happened, in plain language.'),
    harm: text('restricted', 'The harm to persons or to their rights.'),
    personsAffected: { type: 'integer', minimum: 0, description: 'How many persons were affected, if known.', 'x-visibility': 'public' },
    authorityNotified: text('public', 'The market surveillance authority (or other authority) notified.', 300),
    notifiedOn: date('public', 'When it was notified. A late notification is recorded as late, never refused.'),
    measures: list('public', 'Measures taken (Art. 73(6)): suspension, correction, investigation.', { type: 'string', minLength: 1, maxLength: 2000 }, 30),
    status: choice('public', INCIDENT_STATUSES, 'open, investigating or closed.'),
    internalReference: text('oversight', 'Internal file reference.', 300),
    operationalDetails: text('sensitive_operational', 'Operational details whose disclosure would harm operations; never published.'),
  },
};
