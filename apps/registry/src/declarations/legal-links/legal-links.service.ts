import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Integrator } from '../../log/integrator.service.js';
import { LogWriter, SYSTEM_ACTOR } from '../../log/log-writer.service.js';
import { probe, type ProbeOptions, type ProbeResult } from './link-probe.js';

export interface CheckOptions extends ProbeOptions {
  /** Hosts asked at once. */
  concurrency: number;
  /** Pause between two requests to the same host (politeness). */
  hostDelayMs: number;
}

export const DEFAULT_CHECK: CheckOptions = {
  concurrency: 4,
  hostDelayMs: 1000,
  timeoutMs: 10_000,
  userAgent: 'Custodia legal-link checker (a public register of AI tools checking the laws it cites)',
};

export interface CheckRun {
  links: number;
  broken: number;
  unreachable: number;
  logEntry?: string;
}

/** One legal-basis link of a published tool, with its last check. */
export interface LegalLinkView {
  url: string;
  outcome: ProbeResult['outcome'];
  status: number | null;
  finalUrl: string | null;
  detail: string | null;
  checkedAt: string;
  brokenSince: string | null;
}

/**
 * Legal links go stale: laws are moved, renumbered, repealed. This checks every legal-basis link
 * of every published declaration (its latest published revision) — each address once, a few
 * hosts at a time and one request at a time per host, with a pause between — stores what each
 * answered and since when it has been broken, and logs the run. Broken links surface as
 * oversight alerts and on the tool's own answer to its agency. Daily, on the instance that
 * integrates the log; `npm run check-links` on demand.
 */
@Injectable()
export class LegalLinksService {
  private readonly logger = new Logger('LegalLinks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly integrator: Integrator,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'legal-link-check' })
  async scheduledCheck(): Promise<void> {
    if (!this.integrator.leading) return;
    try {
      const run = await this.check();
      this.logger.log(`legal links checked: ${run.links}, ${run.broken} broken, ${run.unreachable} unreachable`);
    } catch (error) {
      this.logger.warn(`legal link check failed: ${(error as Error).message}`);
    }
  }

  async check(options: CheckOptions = DEFAULT_CHECK): Promise<CheckRun> {
    const links = await this.dataSource.query<Array<{ tool_id: string; url: string }>>(
      `SELECT DISTINCT t.id AS tool_id, b ->> 'url' AS url
         FROM tools t JOIN tool_revisions r ON r.tool_id = t.id AND r.number = t.published_revision,
              jsonb_array_elements(coalesce(r.content -> 'legalBasis', '[]')) b
        WHERE b ->> 'url' IS NOT NULL`,
    );
    const results = await probeAll([...new Set(links.map((l) => l.url))], options);
    return this.dataSource.transaction(async (m) => {
      const checkedAt = new Date();
      for (const { tool_id, url } of links) {
        const r = results.get(url)!;
        await m.query(
          `INSERT INTO legal_link_checks (tool_id, url, checked_at, outcome, status, final_url, detail, broken_since)
           VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $4 = 'ok' THEN NULL ELSE $3::timestamptz END)
           ON CONFLICT (tool_id, url) DO UPDATE SET checked_at = EXCLUDED.checked_at, outcome = EXCLUDED.outcome, status = EXCLUDED.status,
             final_url = EXCLUDED.final_url, detail = EXCLUDED.detail,
             broken_since = CASE WHEN EXCLUDED.outcome = 'ok' THEN NULL ELSE coalesce(legal_link_checks.broken_since, EXCLUDED.broken_since) END`,
          [tool_id, url, checkedAt, r.outcome, r.status ?? null, r.finalUrl ?? null, r.detail ?? null],
        );
      }
      // Links no longer in a published revision are no longer checked, nor reported.
      await m.query(
        `DELETE FROM legal_link_checks c WHERE NOT EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::text[]) AS l(tool_id, url) WHERE l.tool_id = c.tool_id AND l.url = c.url)`,
        [links.map((l) => l.tool_id), links.map((l) => l.url)],
      );
      const outcomes = links.map(({ tool_id, url }) => ({ toolId: tool_id, url, ...results.get(url)! }));
      const logEntry = await this.log.append(m, {
        actor: SYSTEM_ACTOR,
        action: 'legal-links.check',
        subject: { type: 'legal-link-check', id: randomUUID() },
        content: { checkedAt: checkedAt.toISOString(), outcomes },
        requestId: `legal-link-check-${checkedAt.toISOString()}`,
      });
      const count = (outcome: string) => outcomes.filter((o) => o.outcome === outcome).length;
      return { links: links.length, broken: count('broken'), unreachable: count('unreachable'), logEntry };
    });
  }

  /** Every link that did not answer at its last check, by tool reference. */
  broken(): Promise<Array<{ reference: string; url: string; why: string }>> {
    return this.dataSource.query(
      `SELECT t.reference, c.url, coalesce(c.detail, c.outcome) AS why FROM legal_link_checks c JOIN tools t ON t.id = c.tool_id
        WHERE c.outcome <> 'ok' ORDER BY t.reference, c.url`,
    );
  }

  /** A tool's links as last checked, for its agency and the oversight body. */
  async forTool(toolId: string, m: EntityManager = this.dataSource.manager): Promise<LegalLinkView[]> {
    const rows = await m.query<Array<{ url: string; outcome: LegalLinkView['outcome']; status: number | null; final_url: string | null; detail: string | null; checked_at: Date; broken_since: Date | null }>>(
      'SELECT * FROM legal_link_checks WHERE tool_id = $1 ORDER BY url',
      [toolId],
    );
    return rows.map((r) => ({
      url: r.url,
      outcome: r.outcome,
      status: r.status,
      finalUrl: r.final_url,
      detail: r.detail,
      checkedAt: r.checked_at.toISOString(),
      brokenSince: r.broken_since?.toISOString() ?? null,
    }));
  }
}

/** Every address once: `concurrency` hosts at a time, each host's addresses one after another with a pause. */
async function probeAll(urls: string[], options: CheckOptions): Promise<Map<string, ProbeResult>> {
  const byHost = new Map<string, string[]>();
  for (const url of urls) {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      host = url;
    }
    byHost.set(host, [...(byHost.get(host) ?? []), url]);
  }
  const results = new Map<string, ProbeResult>();
  const queue = [...byHost.values()];
  const worker = async () => {
    for (let host = queue.shift(); host; host = queue.shift()) {
      for (const [i, url] of host.entries()) {
        if (i > 0 && options.hostDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.hostDelayMs));
        results.set(url, await probe(url, options));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, queue.length) }, worker));
  return results;
}
