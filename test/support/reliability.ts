import { appendFileSync } from 'node:fs';

/**
 * What a reliability test tried, how many cases, and what held, for docs/reliability.md
 * (`npm run reliability` sets RELIABILITY_RESULTS and renders the table from it).
 */
export function recordResult(result: { area: string; tried: string; cases: number; held: string }): void {
  const file = process.env.RELIABILITY_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}
