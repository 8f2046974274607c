/**
 * Asks one address whether it is still there, as a careful crawler would: HEAD first, GET when
 * the server does not answer HEAD properly, redirects followed, a timeout, a name that says who
 * asks. Pure I/O, no database: the checker decides what to do with the answers.
 */

export interface ProbeResult {
  outcome: 'ok' | 'broken' | 'unreachable';
  /** The last HTTP status, when there was one. */
  status?: number;
  /** Where the redirects led, when they led elsewhere. */
  finalUrl?: string;
  detail?: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  userAgent: string;
}

// Servers that refuse HEAD (or answer it wrongly) but serve GET: ask again with GET.
const RETRY_WITH_GET = new Set([400, 403, 404, 405, 406, 500, 501, 503]);

export async function probe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  try {
    let response = await ask(url, 'HEAD', options);
    if (RETRY_WITH_GET.has(response.status)) response = await ask(url, 'GET', options);
    const finalUrl = response.url && response.url !== url ? response.url : undefined;
    if (response.status >= 200 && response.status < 400) return { outcome: 'ok', status: response.status, finalUrl };
    return { outcome: 'broken', status: response.status, finalUrl, detail: `HTTP ${response.status}` };
  } catch (error) {
    const name = (error as Error).name;
    const detail = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${options.timeoutMs / 1000} s` : describe(error);
    return { outcome: 'unreachable', detail };
  }
}

async function ask(url: string, method: 'HEAD' | 'GET', options: ProbeOptions): Promise<Response> {
  const response = await fetch(url, {
    method,
    redirect: 'follow',
    headers: { 'User-Agent': options.userAgent, Accept: 'text/html,application/pdf,*/*;q=0.5' },
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  // Only the status matters: the body is not read (nor downloaded beyond what is in flight).
  await response.body?.cancel().catch(() => undefined);
  return response;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
