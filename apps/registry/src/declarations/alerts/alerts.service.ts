import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WitnessCollector } from '../../log/witness-collector.service.js';
import { todayUtc, validAuthorisation } from '../authorisations/authorisations.service.js';
import { incidentDeadline } from '../incidents/incident-deadline.js';

export const ALERT_KINDS = [
  'unauthorised-use',
  'authorisation-expired',
  'authorisation-expiring',
  'fria-missing',
  'failed-disparity',
  'open-finding',
  'legal-link-broken',
  'incident-notification-overdue',
] as const;

export class AlertView {
  @ApiProperty({ enum: ALERT_KINDS }) kind: (typeof ALERT_KINDS)[number];
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ example: 'CR-POL-0007' }) reference: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ description: 'The date the condition began (YYYY-MM-DD or RFC 3339)', nullable: true, type: String }) since: string | null;
  @ApiProperty({ description: 'What is wrong, in a sentence' }) message: string;
  @ApiProperty({ description: 'The API address of the record concerned' }) link: string;
}

export const LOG_ALERT_KINDS = ['witness-refused', 'witness-behind'] as const;

/** An alert about the log itself rather than a record: a witness that refused or fell behind (docs/witness.md). */
export class LogAlertView {
  @ApiProperty({ enum: LOG_ALERT_KINDS }) kind: (typeof LOG_ALERT_KINDS)[number];
  @ApiProperty({ description: "The witness's name" }) witness: string;
  @ApiProperty({ description: 'Since when (RFC 3339)', nullable: true, type: String }) since: string | null;
  @ApiProperty({ description: 'What is wrong, in a sentence' }) message: string;
  @ApiProperty({ description: 'Where its state is shown' }) link: string;
}

export class AlertsView {
  @ApiProperty({ type: [AlertView] }) items: AlertView[];
  @ApiProperty({ type: [LogAlertView], description: 'Alerts about the audit log: witnesses that refused a checkpoint or are behind' }) log: LogAlertView[];
  @ApiProperty({ description: 'Number of alerts of each kind' }) counts: Record<string, number>;
}

const EXPIRING_DAYS = 30;
// A witness this far behind is not just between two checkpoints.
const WITNESS_LATE_MS = 60_000;
const RECENTLY_EXPIRED_DAYS = 90;

/**
 * What the oversight body should look at now, computed from the records themselves (PRODUCT.md
 * "Oversight findings", CONTRACT.md): tools in use without what the rules require, expired and
 * expiring authorisations, failed bias disparities and open findings, oldest first.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly witnesses: WitnessCollector,
  ) {}

  async alerts(today = todayUtc()): Promise<AlertsView> {
    const q = <T>(sql: string, params: unknown[] = []) => this.dataSource.query<T[]>(sql, params);
    type Row = { tool_id: string; reference: string; agency_id: string; since: string | null; detail: string | null; subject_id: string | null };
    const published = `tools t JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision`;
    const inUse = `r.content #>> '{identity,lifecycle,status}' = 'in_use'`;
    const items: AlertView[] = [];
    const push = (kind: AlertView['kind'], rows: Row[], message: (row: Row) => string, link: (row: Row) => string) => {
      for (const row of rows) {
        items.push({ kind, toolId: row.tool_id, reference: row.reference, agencyId: row.agency_id, since: row.since, message: message(row), link: link(row) });
      }
    };

    push(
      'unauthorised-use',
      await q<Row>(
        `SELECT t.id AS tool_id, t.reference, t.agency_id, o.raised_at::text AS since, NULL AS detail, NULL AS subject_id
           FROM ${published} LEFT JOIN oversight_alerts o ON o.kind = 'unauthorised-use' AND o.subject_id = t.id
          WHERE r.content #>> '{classification,riskClass}' = 'prohibited_practice_exception' AND ${inUse} AND NOT ${validAuthorisation('$1')}
          ORDER BY since NULLS FIRST`,
        [today],
      ),
      () => 'A prohibited-practice exception is in use without a valid granted authorisation (AI Act Art. 5(3)).',
      (row) => `/api/v1/tools/${row.tool_id}/authorisations`,
    );
    const authorisations = (condition: string, days: number) =>
      q<Row>(
        `SELECT t.id AS tool_id, t.reference, t.agency_id, a.valid_until::text AS since, a.content ->> 'authority' AS detail, a.id AS subject_id
           FROM authorisations a JOIN tools t ON t.id = a.tool_id WHERE ${condition} ORDER BY a.valid_until`,
        [today, days],
      );
    push(
      'authorisation-expired',
      await authorisations(`(a.status = 'expired' OR (a.status = 'granted' AND a.valid_until < $1::date)) AND a.valid_until >= $1::date - $2::int`, RECENTLY_EXPIRED_DAYS),
      (row) => `The authorisation by ${row.detail} expired on ${row.since}.`,
      (row) => `/api/v1/tools/${row.tool_id}/authorisations`,
    );
    push(
      'authorisation-expiring',
      await authorisations(`a.status = 'granted' AND a.valid_until >= $1::date AND a.valid_until < $1::date + $2::int`, EXPIRING_DAYS),
      (row) => `The authorisation by ${row.detail} expires on ${row.since}.`,
      (row) => `/api/v1/tools/${row.tool_id}/authorisations`,
    );
    const current = `NOT EXISTS (SELECT 1 FROM assessments n WHERE n.supersedes = s.id)`;
    push(
      'fria-missing',
      await q<Row>(
        `SELECT t.id AS tool_id, t.reference, t.agency_id, r.decided_at::text AS since, NULL AS detail, NULL AS subject_id FROM ${published}
          WHERE r.content #>> '{classification,riskClass}' = 'high_risk' AND ${inUse}
            AND NOT EXISTS (SELECT 1 FROM assessments s WHERE s.tool_id = t.id AND s.kind = 'fria')`,
      ),
      () => 'A high-risk tool is in use without a fundamental rights impact assessment (AI Act Art. 27).',
      (row) => `/api/v1/tools/${row.tool_id}/assessments`,
    );
    push(
      'failed-disparity',
      await q<Row>(
        `SELECT t.id AS tool_id, t.reference, t.agency_id, s.created_at::text AS since,
                string_agg((d ->> 'metric') || ' for ' || (d ->> 'group'), ', ') AS detail, s.id AS subject_id
           FROM assessments s JOIN tools t ON t.id = s.tool_id, jsonb_array_elements(s.content -> 'disparities') d
          WHERE s.kind = 'bias' AND ${current} AND d ->> 'status' = 'fail'
          GROUP BY t.id, t.reference, t.agency_id, s.created_at, s.id ORDER BY s.created_at`,
      ),
      (row) => `The current bias evaluation fails on ${row.detail}.`,
      (row) => `/api/v1/tools/${row.tool_id}/assessments`,
    );
    push(
      'open-finding',
      await q<Row>(
        `SELECT f.tool_id, t.reference, f.agency_id, f.opened_at::text AS since, f.title || ' (' || f.severity || ', ' || f.status || ')' AS detail, f.id AS subject_id
           FROM findings f JOIN tools t ON t.id = f.tool_id WHERE f.status <> 'closed' ORDER BY f.opened_at`,
      ),
      (row) => `Finding not closed: ${row.detail}.`,
      (row) => `/api/v1/findings/${row.subject_id}`,
    );
    push(
      'legal-link-broken',
      await q<Row>(
        `SELECT c.tool_id, t.reference, t.agency_id, c.broken_since::text AS since,
                c.url || ' (' || coalesce(c.detail, c.outcome) || ', checked ' || to_char(c.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ')' AS detail, NULL AS subject_id
           FROM legal_link_checks c JOIN tools t ON t.id = c.tool_id WHERE c.outcome <> 'ok' ORDER BY c.broken_since`,
      ),
      (row) => `A legal-basis link does not answer: ${row.detail}.`,
      (row) => `/api/v1/tools/${row.tool_id}`,
    );
    // AI Act Art. 73: the latest version of each incident, not notified and past its deadline.
    const incidents = await q<Row & { content: { kind?: string; widespread?: boolean; foundOn?: string; notifiedOn?: string; summary?: string } }>(
      `SELECT i.tool_id, t.reference, i.agency_id, v.content ->> 'foundOn' AS since, NULL AS detail, i.id AS subject_id, v.content
         FROM incidents i JOIN tools t ON t.id = i.tool_id JOIN incident_versions v ON v.incident_id = i.id AND v.version = i.latest_version
        WHERE v.content ->> 'notifiedOn' IS NULL ORDER BY v.content ->> 'foundOn'`,
    );
    const overdue = incidents.flatMap((row) => {
      const deadline = incidentDeadline(row.content, today);
      return deadline?.overdue ? [{ ...row, detail: `${deadline.dueOn} (${deadline.days} days` }] : [];
    });
    push(
      'incident-notification-overdue',
      overdue,
      (row) => `A serious incident found on ${row.since} was due to be notified by ${row.detail}, AI Act Art. 73) and has not been.`,
      (row) => `/api/v1/incidents/${row.subject_id}`,
    );
    const log = await this.logAlerts();
    const counts = Object.fromEntries([
      ...ALERT_KINDS.map((kind) => [kind, items.filter((i) => i.kind === kind).length]),
      ...LOG_ALERT_KINDS.map((kind) => [kind, log.filter((i) => i.kind === kind).length]),
    ]);
    return { items, log, counts };
  }

  /** A witness that refused the log's latest checkpoint it was sent is a possible split view; one long behind, a gap in the log's protection. */
  private async logAlerts(now = Date.now()): Promise<LogAlertView[]> {
    const alerts: LogAlertView[] = [];
    for (const w of await this.witnesses.status()) {
      if (w.lastStatus === 'refused') {
        alerts.push({ kind: 'witness-refused', witness: w.name, since: w.attemptedAt, link: '/health/ready', message: `The witness ${w.name} refused to cosign: ${w.lastError}` });
      } else if (w.behindSince && now - Date.parse(w.behindSince) > WITNESS_LATE_MS) {
        const minutes = Math.round((now - Date.parse(w.behindSince)) / 60_000);
        const why = w.lastStatus === 'unreachable' ? ` (it did not answer: ${w.lastError})` : '';
        alerts.push({ kind: 'witness-behind', witness: w.name, since: w.behindSince, link: '/health/ready', message: `The witness ${w.name} is ${w.behindBy} entries behind the log, for ${minutes} min${why}.` });
      }
    }
    return alerts;
  }
}
