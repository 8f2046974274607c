import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { encodeEntry, type LogActor } from '../../apps/registry/src/log/log-entry.js';
import { CRIME_AREAS } from '../../apps/registry/src/declarations/schema/declaration.schema.js';
import { DeclarationValidator } from '../../apps/registry/src/declarations/schema/declaration-validator.js';
import { exampleDeclaration } from '../../apps/registry/src/declarations/schema/example-declaration.js';
import { publicContent } from '../../apps/registry/src/declarations/schema/projection.js';

/** An agency registered through the API, with the ids of its bench editor and approver. */
export interface BenchAgency {
  id: string;
  country: string;
  kind: string;
}

const KIND_CODES: Record<string, string> = { police: 'POL', prosecution: 'PRO', judiciary: 'JUD', ministry: 'MIN', border: 'BOR' };
const NAMES = [
  'Transcriptor de entrevistas', 'Análise de imagens apreendidas', 'Priorisation des signalements', 'Case triage assistant',
  'Detector de documentos falsos', 'Tradução de escutas', 'Lecture automatique de plaques', 'Evidence search',
  'Clasificador de denuncias', 'Anonimização de sentenças', 'Analyse de réseaux financiers', 'Risk flagging of cargo',
];
// The language each name is written in: the search stems each declaration in its own.
const LANGUAGES = ['es', 'pt', 'fr', 'en', 'es', 'pt', 'fr', 'en', 'es', 'pt', 'fr', 'en'];
const WORDS = ['norte', 'sul', 'centre', 'metro', 'rural', 'unidad', 'piloto', 'regional', 'national', 'costa'];
// Classes whose publication needs no assessment or authorisation, and high-risk points of Annex III.
const RISKS: Array<{ riskClass: string; annexIIIPoint?: string }> = [
  { riskClass: 'limited_risk' }, { riskClass: 'minimal_risk' }, { riskClass: 'outside_scope' },
  ...['6(a)', '6(b)', '6(c)', '6(d)', '6(e)', '7(a)', '7(b)', '8(a)'].map((annexIIIPoint) => ({ riskClass: 'high_risk', annexIIIPoint })),
];
const LIFECYCLES = [
  { status: 'in_use', pilotSince: '2025-02-01', inUseSince: '2025-09-01' },
  { status: 'pilot', pilotSince: '2026-03-01' },
  { status: 'planned', plannedSince: '2026-06-01' },
  { status: 'suspended', inUseSince: '2024-05-01', suspendedSince: '2026-01-15' },
  { status: 'retired', inUseSince: '2023-01-01', retiredOn: '2025-12-31' },
];

/** The declaration of the i-th bench tool: varied in every field the public filters on. */
export function benchDeclaration(i: number, agency: BenchAgency, risk = RISKS[i % RISKS.length]!): Record<string, unknown> {
  const content = exampleDeclaration() as { identity: Record<string, unknown>; classification: Record<string, unknown> } & Record<string, unknown>;
  content.language = LANGUAGES[i % NAMES.length];
  Object.assign(content.identity, {
    name: `${NAMES[i % NAMES.length]} ${WORDS[(i >> 3) % WORDS.length]} ${i}`,
    shortDescription: `${content.identity.shortDescription as string} Despliegue ${i}.`,
    countriesOfUse: [agency.country],
    lifecycle: LIFECYCLES[(i >> 1) % LIFECYCLES.length],
    crimeAreas: [CRIME_AREAS[i % CRIME_AREAS.length], CRIME_AREAS[(i * 7 + 3) % CRIME_AREAS.length]].filter((a, k, all) => all.indexOf(a) === k),
  });
  Object.assign(content.classification, { ...risk, rationale: risk.annexIIIPoint ? `Listed in Annex III point ${risk.annexIIIPoint}.` : 'Assists staff; no decision about persons.' });
  return content;
}

/** A declaration that the publication rules let through without assessments or authorisations. */
export function publishableDeclaration(i: number, agency: BenchAgency): Record<string, unknown> {
  return benchDeclaration(i, agency, { riskClass: 'limited_risk' });
}

const CHUNK = 500;

/**
 * Adds `count` published, public tools in bulk, faster than the API could (a benchmark needs
 * 100,000): rows exactly as ToolsService writes them for a tool created, submitted and published
 * by two people of its agency, with the three log entries of those steps built by the service's
 * own `encodeEntry` (the publish entry public, with its publicContentHash), queued in the same
 * transaction. The running service's integrator integrates them as it would any other entries.
 * Every declaration is validated against the schema first.
 */
export async function loadPublishedTools(
  databaseUrl: string,
  agencies: BenchAgency[],
  count: number,
  origin: string,
  progress: (line: string) => void,
): Promise<void> {
  const validator = new DeclarationValidator();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'custodia-bench-loader' });
  await client.connect();
  try {
    const [{ n: existing }] = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM tools')).rows;
    for (let start = 0; start < count; start += CHUNK) {
      const size = Math.min(CHUNK, count - start);
      const tools: unknown[][] = [[], [], [], []];
      const revisions: unknown[][] = [[], [], [], []];
      const queue: unknown[][] = [[], [], [], []];
      const publications: unknown[][] = [[], []];
      const ids = (await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('log_queue', 'id'))::text AS id FROM generate_series(1, $1)`, [size * 3])).rows.map((r) => r.id);
      for (let k = 0; k < size; k++) {
        const i = existing + start + k;
        const agency = agencies[i % agencies.length]!;
        const content = benchDeclaration(i, agency);
        const errors = validator.errors(content);
        if (errors.length > 0) throw new Error(`bench declaration ${i} is invalid: ${JSON.stringify(errors)}`);
        const prefix = `${agency.country}-${KIND_CODES[agency.kind]}`;
        const id = randomUUID();
        const editor: LogActor = { id: `bench-editor-${agency.id.slice(0, 8)}`, roles: ['agency_editor'], agencyId: agency.id };
        const approver: LogActor = { id: `bench-approver-${agency.id.slice(0, 8)}`, roles: ['agency_approver'], agencyId: agency.id };
        push(tools, id, agency.id, `${prefix}-B${String(i + 1).padStart(6, '0')}`, 4);
        push(revisions, id, JSON.stringify(content), editor.id, approver.id);
        const now = new Date();
        const steps = [
          { actor: editor, action: 'tool.create', extra: {} },
          { actor: editor, action: 'tool.submit', extra: {} },
          { actor: approver, action: 'tool.publish', extra: { publicContent: publicContent(content, []), public: true } },
        ];
        steps.forEach((step, s) => {
          const entry = encodeEntry(
            { actor: step.actor, action: step.action, subject: { type: 'tool', id, revision: 1 }, content, requestId: randomUUID(), ...step.extra },
            origin,
            now,
          );
          push(queue, ids[k * 3 + s], entry, id, s === 2);
        });
        push(publications, id, ids[k * 3 + 2]);
      }
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO tools (id, agency_id, reference, version, latest_revision, published_revision)
         SELECT id, agency_id, reference, version, 1, 1 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) AS x(id, agency_id, reference, version)`,
        tools,
      );
      await client.query(
        `INSERT INTO tool_revisions (tool_id, number, status, content, author_id, submitted_at, decided_at, decided_by, redactions)
         SELECT tool_id, 1, 'published', content, author_id, now(), now(), decided_by, '[]'::jsonb
           FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::text[]) AS x(tool_id, content, author_id, decided_by)`,
        revisions,
      );
      await client.query(
        `INSERT INTO log_queue (id, entry, subject_type, subject_id, public) OVERRIDING SYSTEM VALUE
         SELECT id, entry, 'tool', subject_id, public FROM unnest($1::bigint[], $2::bytea[], $3::uuid[], $4::boolean[]) AS x(id, entry, subject_id, public)`,
        queue,
      );
      await client.query('INSERT INTO tool_publications (tool_id, revision, queue_id) SELECT tool_id, 1, queue_id FROM unnest($1::uuid[], $2::bigint[]) AS x(tool_id, queue_id)', publications);
      await client.query('COMMIT');
      await client.query(`NOTIFY custodia_log`);
      if ((start / CHUNK) % 20 === 19) progress(`  ${start + size} of ${count} tools loaded`);
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

function push(columns: unknown[][], ...values: unknown[]): void {
  values.forEach((value, i) => columns[i]!.push(value));
}
