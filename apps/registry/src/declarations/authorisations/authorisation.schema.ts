import { choice, date, flag, object, text } from '../schema/schema-builders.js';

/**
 * A judicial or independent administrative authorisation of a tool's use (AI Act Art. 5(2)–(7)),
 * with x-visibility on every property like the declaration. The decision document itself is
 * never stored: only its SHA-256.
 */
export const AUTHORISATION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:custodia:schema:authorisation:1',
  title: 'Authorisation of the use of an AI tool (AI Act Art. 5(2)–(7))',
  type: 'object',
  additionalProperties: false,
  required: ['authorityType', 'authority', 'requestedOn', 'outcome'],
  properties: {
    authorityType: choice('public', ['judicial', 'independent_administrative'], 'A judicial authority or an independent administrative authority whose decision is binding (Art. 5(3)).'),
    authority: text('public', 'The court or authority that decided.', 300),
    reference: text('restricted', 'The decision reference.', 300),
    requestedOn: date('public', 'Date of the request.'),
    decidedOn: date('public', 'Date of the decision.'),
    outcome: choice('public', ['pending', 'granted', 'refused'], 'pending, granted or refused. A granted authorisation may later be revoked.'),
    validFrom: date('public', 'First day the authorisation is valid.'),
    validUntil: date('public', 'Last day the authorisation is valid.'),
    scope: object('restricted', 'What the authorisation covers (Art. 5(2): limits in time, geography and persons).', {
      geographic: text('restricted', 'Where.', 2000),
      temporal: text('restricted', 'When (beyond the validity window, e.g. hours of the day).', 2000),
      persons: text('restricted', 'Whom it may be used to search for.', 2000),
    }),
    conditions: text('restricted', 'Conditions attached to the decision.'),
    decisionDocumentSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Hex SHA-256 of the decision document; the document itself is never stored here.', 'x-visibility': 'oversight' },
    urgency: object('public', 'Urgency procedure (Art. 5(3)): use started before authorisation, with the request made within 24 hours.', {
      used: flag('public', 'Whether use started before the authorisation, by urgency.'),
      useStartedOn: date('public', 'When the use started.'),
      requestedWithin24Hours: flag('public', 'Whether authorisation was requested within 24 hours.'),
    }, ['used']),
  },
  if: { properties: { outcome: { const: 'granted' } } },
  then: { required: ['decidedOn', 'validFrom', 'validUntil'] },
} as const;
