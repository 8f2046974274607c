import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Machine } from '../log/report.js';
import { median } from '../log/stats.js';
import type { HttpWriteResults } from './http-writes.js';
import type { ProofResults } from './proofs.js';
import type { ReadResults } from './reads.js';

export interface Goal {
  name: string;
  goal: string;
  value: number;
  unit: string;
  met: boolean;
  /** Which scale it was measured at. */
  at: string;
}

export interface BenchResults {
  kind: 'full' | 'smoke';
  date: string;
  machine: Machine;
  options: { toolScales: number[]; logScales: number[]; seconds: number; rounds: number; writers: number };
  goals: Goal[];
  reads: ReadResults[];
  writes: Array<HttpWriteResults & { tools: number }>;
  proofs: ProofResults[];
}

/** The scale the goals are judged at: 10,000 tools and 1,000,000 entries, or the nearest measured. */
function nearest<T>(items: T[], size: (item: T) => number, target: number): T {
  return [...items].sort((a, b) => Math.abs(Math.log(size(a) / target)) - Math.abs(Math.log(size(b) / target)))[0]!;
}

export function goals(results: BenchResults): Goal[] {
  const reads = nearest(results.reads, (r) => r.tools, 10_000);
  const writes = nearest(results.writes, (w) => w.tools, 10_000);
  const proofs = nearest(results.proofs, (p) => p.entries, 1_000_000);
  const tools = `${reads.tools.toLocaleString('en')} tools, ${reads.connections} connections`;
  const entries = `${proofs.entries.toLocaleString('en')} entries`;
  const list: Goal[] = [
    { name: 'public list req/s ÷ trivial endpoint req/s', goal: '≥ 0.50', value: reads.listRatio, unit: '', met: reads.listRatio >= 0.5, at: tools },
    { name: 'public list p99', goal: '< 50 ms', value: reads.listP99, unit: 'ms', met: reads.listP99 < 50, at: tools },
    { name: 'tool page p99', goal: '< 50 ms', value: reads.toolPageP99, unit: 'ms', met: reads.toolPageP99 < 50, at: tools },
    { name: 'audited ÷ plain publishes per second', goal: '≥ 0.75', value: writes.medianRatio.publish, unit: '', met: writes.medianRatio.publish >= 0.75, at: `${writes.tools.toLocaleString('en')} tools, ${writes.options.writers} writers` },
    { name: 'audited ÷ plain draft edits per second', goal: '≥ 0.75', value: writes.medianRatio.draft, unit: '', met: writes.medianRatio.draft >= 0.75, at: `${writes.tools.toLocaleString('en')} tools, ${writes.options.writers} writers` },
    { name: 'commit → integration p99', goal: '≤ 250 ms', value: writes.integration.p99, unit: 'ms', met: writes.integration.p99 <= 250, at: `${writes.integration.entries.toLocaleString('en')} HTTP writes` },
    ...proofGoals(proofs, `${entries}, the integrating service`),
    ...proofGoals(proofs.fresh, `${entries}, a service just started`),
  ];
  const large = nearest(results.reads, (r) => r.tools, 100_000);
  if (large.uncached) {
    const at = `${large.tools.toLocaleString('en')} tools, ${large.connections} connections, cache off`;
    const ratio = large.uncached.list.perSecond / uncachedCeiling(large);
    list.push(
      { name: 'uncached list req/s ÷ trivial endpoint req/s', goal: '≥ 0.25', value: ratio, unit: '', met: ratio >= 0.25, at },
      { name: 'uncached list p99', goal: '< 100 ms', value: large.uncached.list.p99, unit: 'ms', met: large.uncached.list.p99 < 100, at },
    );
  }
  const verification = proofs.verification;
  if (verification) {
    if (verification.ratioToTwoPerEntry !== undefined) {
      const ratio = verification.ratioToTwoPerEntry;
      const at = `${entries}, verifyTree on ${verification.threads} threads, the SHA-256 calls on one`;
      list.push({ name: 'full verification ÷ two SHA-256 calls per entry', goal: '≥ 0.50', value: ratio, unit: '', met: ratio >= 0.5, at });
    } else {
      list.push({ name: 'full verification ÷ raw SHA-256 (one stream)', goal: '≥ 0.50', value: verification.ratio, unit: '', met: verification.ratio >= 0.5, at: entries });
    }
  }
  return list;
}

/** The trivial endpoint on the uncached service, measured just before its list (older runs: the cached rounds' median). */
function uncachedCeiling(r: ReadResults): number {
  return r.uncached?.ceiling?.perSecond ?? median(r.rounds.map((x) => x.ceiling.perSecond));
}

/** Proof p99 < 10 ms; the trivial endpoint's p99, asked between the proofs, says how much of it any answer there costs. */
function proofGoals(on: Pick<ProofResults, 'inclusion' | 'consistency' | 'trivial'>, at: string): Goal[] {
  const beside = `${at} (trivial endpoint beside them: p99 ${on.trivial.p99.toFixed(1)} ms)`;
  return (['inclusion', 'consistency'] as const).map((kind) => ({
    name: `${kind} proof p99`,
    goal: '< 10 ms',
    value: on[kind].p99,
    unit: 'ms',
    met: on[kind].p99 < 10,
    at: beside,
  }));
}

const f = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ms = (value: number) => `${f(value, value < 10 ? 2 : 1)} ms`;

/** The figures as Markdown tables. */
export function renderResults(results: BenchResults, rawFile: string): string {
  const m = results.machine;
  const lines: string[] = [];
  lines.push(
    `Generated by \`npm run bench\`${results.kind === 'smoke' ? ' --smoke (tiny sizes: these figures judge nothing)' : ''} on ${results.date.slice(0, 10)}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres} on the same machine, commit ${m.commit}; load average ${m.loadAverageAtStart.join(' / ')} at the start. Each run ${results.options.seconds} s, ${results.options.rounds} rounds, medians of the rounds. Raw figures: \`${rawFile}\`.`,
    '',
    '| goal | target | measured | at | |',
    '|---|---|---:|---|---|',
    ...results.goals.map((g) => `| ${g.name} | ${g.goal} | **${g.unit === 'ms' ? ms(g.value) : f(g.value, 3)}** | ${g.at} | ${g.met ? 'met' : 'MISSED'} |`),
    '',
    '### Public reads, side by side with `GET /health/live` (the ceiling)',
    '',
    'At the number of connections where the ceiling saturates (90 % of its best req/s). The list is a cycle of filtered pages (20 results each), the tool page `/{lang}/tools/{id}` (HTML) and the tool API `/api/v1/public/tools/{id}` cycle through 500 random published tools.',
    '',
    '| tools | connections | ceiling req/s | list req/s (÷ ceiling) | list p50 / p99 | tool page req/s (÷) | tool page p50 / p99 | tool API req/s (÷) | tool API p99 | RSS at rest → peak |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of results.reads) {
    const mid = (pick: (x: ReadResults['rounds'][number]) => number) => median(r.rounds.map(pick));
    lines.push(
      `| ${f(r.tools)} | ${r.connections} | ${f(mid((x) => x.ceiling.perSecond))} | ${f(mid((x) => x.list.perSecond))} (${f(r.listRatio, 2)}) | ${mid((x) => x.list.p50)} / ${r.listP99} ms | ` +
        `${f(mid((x) => x.toolPage.perSecond))} (${f(r.toolPageRatio, 2)}) | ${mid((x) => x.toolPage.p50)} / ${r.toolPageP99} ms | ${f(mid((x) => x.toolApi.perSecond))} (${f(r.toolApiRatio, 2)}) | ${r.toolApiP99} ms | ${f(r.memory.atRestMiB)} → ${f(r.memory.peakUnderReadsMiB)} MiB |`,
    );
  }
  lines.push(
    '',
    'The same list and tool page on a service with its public cache off (`PUBLIC_CACHE_MB=0`), once, at the same connections, just after that service\'s own ceiling: what every request would cost without the cache, and what a cache miss costs.',
    '',
    '| tools | ceiling req/s (cache off) | list req/s uncached (÷ ceiling) | list p50 / p99 uncached | tool page req/s uncached (÷) | tool page p50 / p99 uncached |',
    '|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of results.reads) {
    if (!r.uncached) continue;
    const ceiling = uncachedCeiling(r);
    const { list, toolPage } = r.uncached;
    lines.push(`| ${f(r.tools)} | ${f(ceiling)} | ${f(list.perSecond)} (${f(list.perSecond / ceiling, 2)}) | ${list.p50} / ${list.p99} ms | ${f(toolPage.perSecond)} (${f(toolPage.perSecond / ceiling, 2)}) | ${toolPage.p50} / ${toolPage.p99} ms |`);
  }
  if (results.reads.some((r) => r.searches)) {
    lines.push(
      '',
      '### Searches and facet counts, cached and uncached',
      '',
      'Each case cycles through a few variants (the words are in the bench tools\' names, in their own languages) at the same connections: on the cached service, then on the one with its cache off. Ratios to the ceiling of the same service.',
      '',
      '| tools | case | variants | cached req/s (÷ ceiling) | cached p99 | uncached req/s (÷ ceiling) | uncached p50 / p99 |',
      '|---:|---|---|---:|---:|---:|---:|',
    );
    for (const r of results.reads) {
      const cachedCeiling = median(r.rounds.map((x) => x.ceiling.perSecond));
      for (const c of r.searches ?? []) {
        const variants = c.paths.map((p) => `\`${decodeURIComponent(p.replace(/^\/api\/v1\/public\//, ''))}\``).join(' ');
        lines.push(
          `| ${f(r.tools)} | ${c.name} | ${variants} | ${f(c.cached.perSecond)} (${f(c.cached.perSecond / cachedCeiling, 2)}) | ${c.cached.p99} ms | ` +
            `${f(c.uncached.perSecond)} (${f(c.uncached.perSecond / uncachedCeiling(r), 2)}) | ${c.uncached.p50} / ${c.uncached.p99} ms |`,
        );
      }
    }
  }
  lines.push('', 'The ceiling at each number of connections (the sweep that chose the column above):', '');
  for (const r of results.reads) {
    lines.push(`- ${f(r.tools)} tools: ${r.sweep.map((s) => `${s.connections} → ${f(s.perSecond)} req/s (p99 ${s.p99} ms)`).join(', ')}`);
  }
  lines.push(
    '',
    '### Audited writes through HTTP, side by side with the log append replaced by a plain insert',
    '',
    `${results.options.writers} writers, each on a tool of its own. A draft edit is one \`PUT /api/v1/tools/{id}/draft\`; a publication is \`submit\`, \`publish\` (by an approver) and the next draft: 3 writes. Commit → integration: from the write's response to the first poll (every 10 ms, from another thread) that saw its entry in the tree (an upper bound).`,
    '',
    '| tools | draft edits/s audited / plain (÷) | publications/s audited / plain (÷) | write p99 audited / plain | commit → integration p50 / p99 / max |',
    '|---:|---:|---:|---:|---:|',
  );
  for (const w of results.writes) {
    const mid = (workload: 'draft' | 'publish', mode: 'audited' | 'plain', pick: (run: HttpWriteResults['runs'][number]) => number) =>
      median(w.runs.filter((r) => r.workload === workload && r.mode === mode).map(pick));
    lines.push(
      `| ${f(w.tools)} | ${f(mid('draft', 'audited', (r) => r.perSecond))} / ${f(mid('draft', 'plain', (r) => r.perSecond))} (${f(w.medianRatio.draft, 3)}) | ` +
        `${f(mid('publish', 'audited', (r) => r.perSecond), 1)} / ${f(mid('publish', 'plain', (r) => r.perSecond), 1)} (${f(w.medianRatio.publish, 3)}) | ` +
        `${ms(mid('publish', 'audited', (r) => r.p99))} / ${ms(mid('publish', 'plain', (r) => r.p99))} | ${ms(w.integration.p50)} / ${ms(w.integration.p99)} / ${ms(w.integration.max)} |`,
    );
  }
  lines.push(
    '',
    '### Proofs and verification at scale',
    '',
    'Proofs asked one after another over HTTP at random indexes (latency as the client sees it), each followed by a GET of the trivial endpoint `/health/live` by the same client: what the least answer costs there and then. First on the service that integrated the entries (it keeps the tiles it filled, up to 64 MiB: a million entries\' level-0 tiles), then on one just started on the same log, which reads each tile from the database when a proof first needs it.',
    '',
    '| entries | service | inclusion p50 / p99 | consistency p50 / p99 | trivial endpoint beside them p50 / p99 |',
    '|---:|---|---:|---:|---:|',
  );
  for (const p of results.proofs) {
    for (const [name, on] of [['integrating', p], ['just started', p.fresh]] as const) {
      lines.push(
        `| ${f(p.entries)} | ${name} | ${ms(on.inclusion.p50)} / ${ms(on.inclusion.p99)} | ${ms(on.consistency.p50)} / ${ms(on.consistency.p99)} | ${ms(on.trivial.p50)} / ${ms(on.trivial.p99)} |`,
      );
    }
  }
  lines.push(
    '',
    'Integration: the service\'s integrator over entries queued in bulk. Verification: the verifier\'s own `verifyTree` over every tile and entry bundle (read from the service, held in memory; entries hashed on one worker thread per core) against `node:crypto` SHA-256 on one thread, two calls per entry (its leaf hash and one 65-byte interior node: the least a tree check costs), and against the same bytes as one stream; the verifier CLI end to end over loopback with an oversight token.',
    '',
    '| entries | integration | verifyTree (threads) | two SHA-256 calls per entry | verify ÷ two calls per entry | raw SHA-256, one stream (verify ÷ it) | verifier CLI (entries/s) | service RSS |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of results.proofs) {
    const v = p.verification;
    const two = v?.rawTwoPerEntryMs ? ms(median(v.rawTwoPerEntryMs)) : '–';
    lines.push(
      `| ${f(p.entries)} | ${f(p.fill.integratedPerSecond)} entries/s | ` +
        `${v ? `${ms(median(v.verifyTreeMs))} (${v.threads ?? 1})` : '–'} | ${two} | ${v?.ratioToTwoPerEntry !== undefined ? f(v.ratioToTwoPerEntry, 3) : '–'} | ` +
        `${v ? `${ms(median(v.rawStreamMs))} (${f(v.ratio, 3)})` : '–'} | ${f(p.cli.seconds, 1)} s (${f(p.cli.entriesPerSecond)}) | ${f(p.serviceRssMiB)} MiB |`,
    );
  }
  return lines.join('\n');
}

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

/** Writes the figures between the markers of `file`, keeping what is written around them. */
export function writeReport(file: string, results: BenchResults, rawFile: string): string {
  const text = renderResults(results, relative(process.cwd(), rawFile));
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const updated = start >= 0 && end > start ? `${current.slice(0, start + START.length)}\n${text}\n${current.slice(end)}` : `${current}\n${START}\n${text}\n${END}\n`;
  writeFileSync(file, updated);
  return text;
}
