/**
 * Who may call what: every operation of the OpenAPI document, called by every kind of caller,
 * with the status each must get (PRODUCT.md "Who uses it"; CONTRACT.md: another agency's record
 * answers 404, not 403). test/access-matrix.e2e-spec.ts calls them all, and fails when the
 * OpenAPI document has an operation this table does not list (or lists one it no longer has).
 *
 * Writes an allowed caller may make are sent so that they fail after the access check in a
 * known way (a stale If-Match → 412, a refused authorisation → 409, a closed finding → 409), or
 * succeed harmlessly (201), so that the table reads the same whatever order it runs in.
 *
 * In `path`, {tool}, {publishedTool}, {refusedAuthorisation}, {finding}, {closedFinding}, {answeredReport}, {incident},
 * {privateEntry} and {bundle} (a partial tile's name, 000.p/<size>) stand for records the test
 * creates first.
 */

import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { exampleNlRecord } from '../apps/registry/src/public/example-nl-record.js';

export const CALLERS = ['anonymous', 'editor', 'approver', 'otherAgency', 'oversight', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];
export type Expect = Record<Caller, number>;

export interface Access {
  path: string;
  body?: () => object;
  ifMatch?: string;
  expect: Expect;
}

const STALE = '"stale"';
const everyone = (status: number): Expect => ({ anonymous: status, editor: status, approver: status, otherAgency: status, oversight: status, admin: status });
/** Only the callers named get their status; the anonymous 401, another agency `otherAgency`, the rest `denied`. */
const only = (allowed: Partial<Expect>, otherAgency: number, denied = 403): Expect => ({
  anonymous: 401,
  editor: denied,
  approver: denied,
  oversight: denied,
  admin: denied,
  otherAgency,
  ...allowed,
});
const signedIn = (status: number): Expect => ({ ...everyone(status), anonymous: 401 });
const readers = only({ editor: 200, approver: 200, oversight: 200 }, 404);

let agencies = 0;

export const ACCESS: Record<string, Access> = {
  // The log: public shape and proofs; entry contents for the oversight body.
  'GET /log/checkpoint': { path: '/log/checkpoint', expect: everyone(200) },
  'GET /log/tile/{path}': { path: '/log/tile/0/{bundle}', expect: everyone(200) },
  'GET /log/tile/entries/{path}': { path: '/log/tile/entries/{bundle}', expect: only({ oversight: 200 }, 403) },
  'GET /api/v1/log/key': { path: '/api/v1/log/key', expect: everyone(200) },
  'GET /api/v1/log/entries': { path: '/api/v1/log/entries', expect: only({ oversight: 200 }, 403) },
  'GET /api/v1/log/entries/{index}': { path: '/api/v1/log/entries/{privateEntry}', expect: { ...everyone(404), oversight: 200 } },
  'GET /api/v1/log/queue/{queueId}': { path: '/api/v1/log/queue/1', expect: signedIn(200) },
  'GET /api/v1/log/proofs/inclusion': { path: '/api/v1/log/proofs/inclusion?index=0', expect: everyone(200) },
  'GET /api/v1/log/proofs/consistency': { path: '/api/v1/log/proofs/consistency?from=1', expect: everyone(200) },
  // The development issuer's public key (only while it is on), for the token command.
  'GET /api/v1/dev-issuer': { path: '/api/v1/dev-issuer', expect: everyone(200) },
  'GET /health/live': { path: '/health/live', expect: everyone(200) },
  'GET /health/ready': { path: '/health/ready', expect: everyone(200) },

  // Agencies: public records, registered by the operator.
  'GET /api/v1/agencies': { path: '/api/v1/agencies', expect: everyone(200) },
  'POST /api/v1/agencies': { path: '/api/v1/agencies', body: () => ({ name: `Agency ${++agencies}`, country: 'CL', kind: 'police' }), expect: only({ admin: 201 }, 403) },
  'GET /api/v1/agencies/{id}': { path: '/api/v1/agencies/{agency}', expect: everyone(200) },
  // Renames the test's agency to the name it has: the same answer whatever the order.
  'PUT /api/v1/agencies/{id}': { path: '/api/v1/agencies/{agency}', body: () => ({ name: 'Poder Judicial', kind: 'judiciary' }), expect: only({ admin: 200 }, 403) },

  // Declarations.
  'GET /api/v1/schema': { path: '/api/v1/schema', expect: everyone(200) },
  'GET /api/v1/schema/assessments': { path: '/api/v1/schema/assessments', expect: everyone(200) },
  'POST /api/v1/tools': { path: '/api/v1/tools', body: () => ({ content: exampleDeclaration() }), expect: only({ editor: 201 }, 201) },
  // Another agency's editor declares it as a tool of their own agency.
  'POST /api/v1/tools/import/nl': { path: '/api/v1/tools/import/nl', body: () => exampleNlRecord(), expect: only({ editor: 201 }, 201) },
  'GET /api/v1/tools': { path: '/api/v1/tools', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
  'GET /api/v1/tools/{id}': { path: '/api/v1/tools/{tool}', expect: readers },
  'GET /api/v1/tools/{id}/revisions': { path: '/api/v1/tools/{tool}/revisions', expect: readers },
  'GET /api/v1/tools/{id}/revisions/{number}': { path: '/api/v1/tools/{tool}/revisions/1', expect: readers },
  'PUT /api/v1/tools/{id}/draft': { path: '/api/v1/tools/{tool}/draft', body: () => ({ content: exampleDeclaration() }), ifMatch: STALE, expect: only({ editor: 412 }, 404) },
  'PUT /api/v1/tools/{id}/redactions': { path: '/api/v1/tools/{tool}/redactions', body: () => ({ redactions: [] }), ifMatch: STALE, expect: only({ editor: 412 }, 404) },
  'POST /api/v1/tools/{id}/submit': { path: '/api/v1/tools/{tool}/submit', ifMatch: STALE, expect: only({ editor: 412 }, 404) },
  'POST /api/v1/tools/{id}/publish': { path: '/api/v1/tools/{tool}/publish', ifMatch: STALE, expect: only({ approver: 412 }, 404) },
  'POST /api/v1/tools/{id}/reject': { path: '/api/v1/tools/{tool}/reject', body: () => ({ reason: 'x' }), ifMatch: STALE, expect: only({ approver: 412 }, 404) },
  'POST /api/v1/tools/{id}/assessments': { path: '/api/v1/tools/{tool}/assessments', body: () => ({ kind: 'dpia', content: exampleAssessment('dpia') }), expect: only({ editor: 201, approver: 201 }, 404) },
  'GET /api/v1/tools/{id}/assessments': { path: '/api/v1/tools/{tool}/assessments', expect: readers },
  'POST /api/v1/tools/{id}/authorisations': {
    path: '/api/v1/tools/{tool}/authorisations',
    body: () => ({ content: { authorityType: 'judicial', authority: 'Sala III', requestedOn: '2026-02-01', outcome: 'pending' } }),
    expect: only({ editor: 201, approver: 201 }, 404),
  },
  'GET /api/v1/tools/{id}/authorisations': { path: '/api/v1/tools/{tool}/authorisations', expect: readers },
  'POST /api/v1/authorisations/{aid}/revoke': { path: '/api/v1/authorisations/{refusedAuthorisation}/revoke', body: () => ({ reason: 'x' }), expect: only({ editor: 409, approver: 409 }, 404) },
  'POST /api/v1/tools/{id}/findings': { path: '/api/v1/tools/{tool}/findings', body: () => ({ severity: 'low', title: 't', body: 'b' }), expect: only({ oversight: 201 }, 403) },
  'GET /api/v1/findings': { path: '/api/v1/findings', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
  'GET /api/v1/findings/{fid}': { path: '/api/v1/findings/{finding}', expect: readers },
  'POST /api/v1/findings/{fid}/responses': { path: '/api/v1/findings/{finding}/responses', body: () => ({ body: 'Answer.' }), expect: only({ editor: 201, approver: 201 }, 404) },
  // Serious incidents: recorded by the tool's agency, read by it and the oversight body.
  'POST /api/v1/tools/{id}/incidents': { path: '/api/v1/tools/{tool}/incidents', body: () => ({ content: { kind: 'fundamental_rights', foundOn: '2026-11-02', summary: 's', status: 'open' } }), expect: only({ editor: 201, approver: 201 }, 404) },
  'GET /api/v1/tools/{id}/incidents': { path: '/api/v1/tools/{tool}/incidents', expect: readers },
  'GET /api/v1/incidents': { path: '/api/v1/incidents', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
  'GET /api/v1/incidents/{iid}': { path: '/api/v1/incidents/{incident}', expect: readers },
  'POST /api/v1/incidents/{iid}/versions': { path: '/api/v1/incidents/{incident}/versions', body: () => ({ content: { kind: 'fundamental_rights', foundOn: '2026-11-02', summary: 's', status: 'investigating' } }), expect: only({ editor: 201, approver: 201 }, 404) },
  'GET /api/v1/schema/incident': { path: '/api/v1/schema/incident', expect: everyone(200) },
  // Reports from the public: anyone sends one; the agency and the oversight body read and answer them.
  'POST /api/v1/public/tools/{id}/reports': { path: '/api/v1/public/tools/{publishedTool}/reports', body: () => ({ text: 'The purpose seems out of date.' }), expect: everyone(201) },
  'GET /api/v1/reports': { path: '/api/v1/reports', expect: only({ editor: 200, approver: 200, oversight: 200 }, 200) },
  'POST /api/v1/reports/{rid}/answer': { path: '/api/v1/reports/{answeredReport}/answer', body: () => ({ reply: 'r' }), expect: only({ editor: 409, approver: 409, oversight: 409 }, 404) },
  'POST /api/v1/reports/{rid}/dismiss': { path: '/api/v1/reports/{answeredReport}/dismiss', body: () => ({ reply: 'r' }), expect: only({ editor: 409, approver: 409, oversight: 409 }, 404) },
  'POST /api/v1/findings/{fid}/close': { path: '/api/v1/findings/{closedFinding}/close', body: () => ({}), expect: only({ oversight: 409 }, 403) },
  'GET /api/v1/oversight/alerts': { path: '/api/v1/oversight/alerts', expect: only({ oversight: 200 }, 403) },

  // The public view: anyone, with or without a token.
  'GET /api/v1/public/tools': { path: '/api/v1/public/tools', expect: everyone(200) },
  'GET /api/v1/public/tools/{id}': { path: '/api/v1/public/tools/{publishedTool}', expect: everyone(200) },
  'GET /api/v1/public/tools/{id}/revisions': { path: '/api/v1/public/tools/{publishedTool}/revisions', expect: everyone(200) },
  'GET /api/v1/public/facets': { path: '/api/v1/public/facets?riskClass=high_risk', expect: everyone(200) },
  'GET /api/v1/public/stats': { path: '/api/v1/public/stats', expect: everyone(200) },
  'GET /api/v1/public/export.json': { path: '/api/v1/public/export.json', expect: everyone(200) },
  'GET /api/v1/public/export.csv': { path: '/api/v1/public/export.csv', expect: everyone(200) },
  'GET /api/v1/public/export.nl.json': { path: '/api/v1/public/export.nl.json', expect: everyone(200) },
  'GET /api/v1/public/export.authorisations.csv': { path: '/api/v1/public/export.authorisations.csv', expect: everyone(200) },
};
