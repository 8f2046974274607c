import { createRequire } from 'node:module';

// autocannon ships no type declarations: the part of its programmatic API used here.
interface LoadRequest {
  method?: 'GET';
  path: string;
  setupRequest?: (request: LoadRequest) => LoadRequest;
}
interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  headers: Record<string, string>;
  requests: LoadRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** One load run's figures: requests per second over the run, latency in ms. */
export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Anything but a 2xx answer, and connection errors and timeouts: a run with any is refused. */
  failures: number;
}

/**
 * GETs the paths from `next()` (each request asks for the next one) with `connections` keep-alive
 * connections for `seconds`, with autocannon, on loopback, accepting gzip and Brotli as a browser does.
 */
export async function load(url: string, next: () => string, connections: number, seconds: number): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    // As browsers ask: answers of a kilobyte or more come back compressed.
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    requests: [{ path: '/', setupRequest: (request) => ({ ...request, path: next() }) }],
  });
  const failures = result.non2xx + result.errors + result.timeouts;
  return {
    connections,
    seconds: result.duration,
    requests: result['2xx'],
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    failures,
  };
}

/** The paths in turn, forever. */
export function cycle(paths: readonly string[]): () => string {
  let i = 0;
  return () => paths[i++ % paths.length]!;
}
