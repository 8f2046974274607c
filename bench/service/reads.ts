import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../log/stats.js';
import { cycle, load, type LoadFigures } from './load.js';
import type { ServiceProcess } from './service-process.js';

export interface ReadOptions {
  /** Connections tried for the ceiling, to find where it saturates. */
  sweep: number[];
  sweepSeconds: number;
  rounds: number;
  seconds: number;
  /** Restarts the service with its public cache off, for the uncached figures. */
  uncachedService: () => Promise<ServiceProcess>;
}

export interface ReadRound {
  round: number;
  ceiling: LoadFigures;
  list: LoadFigures;
  toolPage: LoadFigures;
  toolApi: LoadFigures;
}

export interface ReadResults {
  tools: number;
  /** The trivial endpoint (GET /health/live) at each number of connections. */
  sweep: LoadFigures[];
  /** The fewest connections at which the ceiling reached 90 % of its best requests/s. */
  connections: number;
  rounds: ReadRound[];
  /** Median over the rounds of list req/s ÷ ceiling req/s of the same round. */
  listRatio: number;
  toolPageRatio: number;
  toolApiRatio: number;
  /** Median over the rounds of each run's p99, ms. */
  listP99: number;
  toolPageP99: number;
  toolApiP99: number;
  memory: { atRestMiB: number; peakUnderReadsMiB: number };
  paths: { list: string[]; toolPages: number };
  /**
   * The same list and tool page on a service with its public cache off (PUBLIC_CACHE_MB=0): what
   * a miss costs, with that service's own ceiling measured right before them.
   */
  uncached?: { ceiling?: LoadFigures; list: LoadFigures; toolPage: LoadFigures };
  /** Each search case and the facet counts, on the cached service and then on the uncached one. */
  searches?: SearchFigures[];
}

export interface SearchFigures {
  name: string;
  paths: string[];
  cached: LoadFigures;
  uncached: LoadFigures;
}

/**
 * The searches a reader types (each a few variants, cycled) and the facet counts of filtered
 * result sets; the words are in the bench tools' names (load-tools.ts), in their languages.
 */
export function searchCases(): Array<{ name: string; paths: string[] }> {
  const list = (qs: string[]) => qs.map((q) => `/api/v1/public/tools?q=${encodeURIComponent(q)}`);
  return [
    { name: 'a stemmed word', paths: list(['denuncia', 'signalement', 'imagem', 'escuta']) },
    { name: 'a phrase', paths: list(['"lecture automatique"', '"risk flagging"', '"documentos falsos"', '"réseaux financiers"']) },
    { name: 'a misspelling', paths: list(['transcritor', 'anonimizacao', 'priorization', 'detecter']) },
    {
      name: 'facet counts',
      paths: ['', 'riskClass=high_risk', 'country=CR', 'lifecycle=in_use&agencyKind=police', 'q=denuncia'].map((f) => `/api/v1/public/facets?${f}`),
    },
  ];
}

const CEILING = '/health/live';

/** Filtered pages of the public list, each a filter a reader would use (20 results a page). */
export function listPaths(countries: string[]): string[] {
  const filters = [
    'riskClass=high_risk', 'riskClass=limited_risk', 'riskClass=minimal_risk', 'lifecycle=in_use', 'lifecycle=pilot',
    'riskClass=high_risk&lifecycle=in_use', 'annexIII=6(a)', 'annexIII=6(d)', 'annexIII=8(a)', 'crimeArea=fraud',
    'crimeArea=gender_based_violence', 'agencyKind=police', 'agencyKind=judiciary', 'q=transcriptor', 'q=plaques',
    'q=triage%20metro', 'agencyKind=prosecution&riskClass=high_risk',
    ...countries.map((country) => `country=${country}`),
    ...countries.slice(0, 4).map((country) => `country=${country}&lifecycle=in_use`),
  ];
  return filters.map((filter) => `/api/v1/public/tools?${filter}`);
}

/**
 * Public reads against a trivial endpoint of the same server, side by side: first the ceiling's
 * saturation point, then rounds of ceiling, filtered list, tool page and tool API at that many
 * connections, in turn. Resident memory of the service is sampled throughout.
 */
export async function benchReads(
  service: ServiceProcess,
  setup: { tools: number; toolIds: string[]; countries: string[] },
  options: ReadOptions,
  progress: (line: string) => void,
): Promise<ReadResults> {
  const list = listPaths(setup.countries);
  const langs = ['en', 'es', 'pt', 'fr'];
  const toolPages = setup.toolIds.map((id, i) => `/${langs[i % langs.length]}/tools/${id}`);
  const toolApi = setup.toolIds.map((id) => `/api/v1/public/tools/${id}`);

  // Warm-up: every path once (the first request of a query plan or template costs more).
  for (const path of [...list, ...toolPages.slice(0, 50), ...toolApi.slice(0, 50)]) await mustGet(service.url, path);
  await sleep(2000);
  const atRestMiB = service.rssMiB();

  let peak = atRestMiB;
  const sampler = setInterval(() => (peak = Math.max(peak, service.rssMiB())), 100);
  const run = async (name: string, paths: string[], connections: number, seconds: number, target = service) => {
    const figures = await load(target.url, cycle(paths), connections, seconds);
    if (figures.failures > 0) throw new Error(`${name}: ${figures.failures} requests failed (not 2xx, error or timeout)`);
    return figures;
  };
  try {
    const sweep: LoadFigures[] = [];
    for (const connections of options.sweep) {
      const figures = await run('ceiling', [CEILING], connections, options.sweepSeconds);
      sweep.push(figures);
      progress(`  ceiling at ${String(connections).padStart(3)} connections: ${figures.perSecond.toFixed(0).padStart(6)} req/s, p99 ${figures.p99} ms`);
    }
    const best = Math.max(...sweep.map((s) => s.perSecond));
    const connections = sweep.find((s) => s.perSecond >= 0.9 * best)!.connections;

    const rounds: ReadRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const ceiling = await run('ceiling', [CEILING], connections, options.seconds);
      const listRun = await run('list', list, connections, options.seconds);
      const toolPage = await run('tool page', toolPages, connections, options.seconds);
      const toolApiRun = await run('tool API', toolApi, connections, options.seconds);
      rounds.push({ round, ceiling, list: listRun, toolPage, toolApi: toolApiRun });
      progress(
        `  round ${round} at ${connections} connections: ceiling ${ceiling.perSecond.toFixed(0)}, list ${listRun.perSecond.toFixed(0)} (p99 ${listRun.p99} ms), ` +
          `tool page ${toolPage.perSecond.toFixed(0)} (p99 ${toolPage.p99} ms), tool API ${toolApiRun.perSecond.toFixed(0)} (p99 ${toolApiRun.p99} ms) req/s`,
      );
    }
    const ratio = (pick: (r: ReadRound) => LoadFigures) => median(rounds.map((r) => pick(r).perSecond / r.ceiling.perSecond));
    const p99 = (pick: (r: ReadRound) => LoadFigures) => median(rounds.map((r) => pick(r).p99));
    const result = {
      tools: setup.tools,
      sweep,
      connections,
      rounds,
      listRatio: ratio((r) => r.list),
      toolPageRatio: ratio((r) => r.toolPage),
      toolApiRatio: ratio((r) => r.toolApi),
      listP99: p99((r) => r.list),
      toolPageP99: p99((r) => r.toolPage),
      toolApiP99: p99((r) => r.toolApi),
      memory: { atRestMiB, peakUnderReadsMiB: peak },
      paths: { list, toolPages: toolPages.length },
    };
    clearInterval(sampler);
    const cases = searchCases();
    const cachedSearches = [];
    for (const c of cases) {
      for (const path of c.paths) await mustGet(service.url, path);
      cachedSearches.push(await run(`${c.name}, cached`, c.paths, connections, options.seconds));
    }
    const other = await options.uncachedService();
    for (const path of [...list, ...toolPages.slice(0, 50), ...cases.flatMap((c) => c.paths)]) await mustGet(other.url, path);
    const uncached = {
      ceiling: await run('ceiling, uncached service', [CEILING], connections, options.seconds, other),
      list: await run('list, uncached', list, connections, options.seconds, other),
      toolPage: await run('tool page, uncached', toolPages, connections, options.seconds, other),
    };
    progress(
      `  uncached: ceiling ${uncached.ceiling.perSecond.toFixed(0)}, list ${uncached.list.perSecond.toFixed(0)} (p99 ${uncached.list.p99} ms), ` +
        `tool page ${uncached.toolPage.perSecond.toFixed(0)} (p99 ${uncached.toolPage.p99} ms) req/s`,
    );
    const searches: SearchFigures[] = [];
    for (const [k, c] of cases.entries()) {
      const figures = { ...c, cached: cachedSearches[k]!, uncached: await run(`${c.name}, uncached`, c.paths, connections, options.seconds, other) };
      searches.push(figures);
      progress(`  ${c.name}: cached ${figures.cached.perSecond.toFixed(0)} (p99 ${figures.cached.p99} ms), uncached ${figures.uncached.perSecond.toFixed(0)} (p99 ${figures.uncached.p99} ms) req/s`);
    }
    return { ...result, uncached, searches };
  } finally {
    clearInterval(sampler);
  }
}

async function mustGet(base: string, path: string): Promise<void> {
  const response = await fetch(base + path);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
}
