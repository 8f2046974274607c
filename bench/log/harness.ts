/** A mistake in how a bench was called: told without a stack trace, with the usage. */
export class UsageError extends Error {}

/** Set on SIGINT or SIGTERM: the run's own failure that follows is not worth reporting. */
export const run = { interrupted: false };

/** Smoke verdict: throws naming every part that measured nothing; timings are not judged. */
export function checkSmokeProblems(problems: string[]): void {
  if (problems.length > 0) throw new Error(`smoke run failed: ${problems.join('; ')}`);
  console.log('Smoke run OK (timings not judged).');
}

/** Runs a bench's main and exits: 0 done, 1 failed, 2 wrongly called, 130 interrupted. */
export function runBench(name: string, usage: string, main: () => Promise<void>, isUsage: (error: unknown) => boolean): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (run.interrupted) process.exit(130);
      if (error instanceof UsageError || isUsage(error)) {
        console.error(`${name}: ${(error as Error).message}\n\n${usage}`);
        process.exit(2);
      }
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
