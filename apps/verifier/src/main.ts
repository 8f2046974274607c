import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeBase64 } from '@custodia/tlog';
import { VerificationFailure } from './failure.js';
import { readState, stateOf, type TrustedState, writeState } from './trusted-state.js';
import { verifyDirectory } from './verify-directory.js';
import { verifyUrl } from './verify-url.js';
import { witnessPolicy } from './witnesses.js';

const USAGE = `Custodia log verifier: checks a C2SP tlog-tiles log without trusting whoever serves it.

  npm run verify -- --url <base URL> [--key <verifier key>] [--state <file>] [--token-file <file>] [--pending-wait <seconds>]
                    [--witness <witness key> ... [--witness-quorum <n>] [--witness-wait <seconds>]]
  npm run verify -- --dir <tiles folder> --key <verifier key> [--checkpoint <file>] [--state <file>]

  --url           a running registry: the log under <url>/log/, the API under <url>/api/v1/
  --dir           a folder holding checkpoint, tile/<L>/<N> and tile/entries/<N>
  --key           the log's signed-note verifier key: <name>+<key id>+<base64 key>. With --url and
                  without it, the key in the state file is used, else the key the server presents
                  is trusted on first use (with a warning)
  --state         remembers the key and the last checkpoint accepted; a later run fails if the
                  key changed or on a fork or rollback
  --token-file    a file holding an oversight token (or set CUSTODIA_TOKEN). With a token every
                  entry's contents are checked; without one only the tree and the public records
  --pending-wait  how long to wait for a public record still queued for the log (default 5)
  --witness       a witness's cosigner key (<name>+<key id>+<base64 key>), repeatable: the checkpoint
                  must carry valid C2SP cosignatures of --witness-quorum of them (default: all),
                  or it is refused, naming the witnesses missing or invalid
  --witness-wait  how long to wait for cosignatures of a checkpoint just made (default 10)
  --follow        monitor: keep verifying, every --interval seconds (default 30), each new checkpoint
                  against the last one accepted, and every public record; print a line per new
                  checkpoint and, the moment something does not hold, an ALARM line and exit 1.
                  --rounds <n> stops after n rounds (exit 0)
  --checkpoint    with --dir: the signed checkpoint to verify (default: <dir>/checkpoint)

Exit status: 0 verified, 1 verification failed (the first bad index or record is named) or the
server could not be read, 2 usage error.`;

const OPTIONS = {
  dir: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  checkpoint: { type: 'string' },
  state: { type: 'string' },
  'token-file': { type: 'string' },
  'pending-wait': { type: 'string' },
  witness: { type: 'string', multiple: true },
  follow: { type: 'boolean' },
  interval: { type: 'string' },
  rounds: { type: 'string' },
  'witness-quorum': { type: 'string' },
  'witness-wait': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (args.url !== undefined && args.dir !== undefined) throw new UsageError('Give either --url or --dir, not both.');
    if (args.url !== undefined) return await runUrl(args, args.url);
    if (args.dir !== undefined) return await runDirectory(args, args.dir);
    throw new UsageError('--url or --dir is required.');
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    const at = error instanceof VerificationFailure && error.index !== undefined ? ` at index ${error.index}` : '';
    console.error(`FAILED${at}: ${(error as Error).message}`);
    return 1;
  }
}

async function runDirectory(args: Args, dir: string): Promise<number> {
  if (!args.key) throw new UsageError('--dir needs --key.');
  if (args['token-file'] !== undefined || args['pending-wait'] !== undefined || args.witness !== undefined || args.follow) {
    throw new UsageError('--token-file, --pending-wait, --witness and --follow are for --url.');
  }
  const trusted = args.state ? readState(args.state) : undefined;
  const { checkpoint, entriesChecked, threads } = await verifyDirectory({ dir, verifierKey: args.key, checkpointFile: args.checkpoint, trusted });
  if (args.state) writeState(args.state, stateOf(checkpoint, args.key));
  console.log(`OK ${checkpoint.origin}`);
  console.log(`  tree size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`);
  console.log(`  signature verified; ${entriesChecked} entries match their leaf hashes${onThreads(threads)}; root recomputed from entries and from tiles`);
  if (trusted) console.log(`  consistent with the checkpoint trusted before (size ${trusted.size})`);
  return 0;
}

async function runUrl(args: Args, url: string): Promise<number> {
  if (args.checkpoint !== undefined) throw new UsageError('--checkpoint is for --dir.');
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) throw new UsageError(`--url must be an http or https URL, got ${url}`);
  const wait = args['pending-wait'] ?? '5';
  if (!/^\d+(\.\d+)?$/.test(wait)) throw new UsageError(`--pending-wait must be a number of seconds, got ${wait}`);
  const token = readToken(args['token-file']);
  const trusted = args.state ? readState(args.state) : undefined;
  const witnesses = witnessPolicy(args.witness ?? [], witnessQuorum(args), seconds(args['witness-wait'] ?? '10', '--witness-wait') * 1000);

  const options = { url, key: args.key, token, pendingWaitMs: Number(wait) * 1000, witnesses, warn: (message: string) => console.error(`WARNING: ${message}`) };
  if (args.follow) return follow(args, options, trusted);
  const result = await verifyUrl({ ...options, trusted });
  const { checkpoint, entriesChecked, threads } = result.tree;
  if (args.state) writeState(args.state, stateOf(checkpoint, result.verifierKey));
  const pinnedBy = {
    option: 'the key given with --key',
    state: 'the key pinned in the state file',
    'first use': `the key the server presented, NOT pinned (trusted on first use${args.state ? ', now pinned in the state file' : ''})`,
  }[result.keySource];
  console.log(`OK ${checkpoint.origin}`);
  console.log(`  tree size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`);
  console.log(`  signature verified with ${pinnedBy}`);
  if (result.cosigned && witnesses) {
    const by = result.cosigned.map((c) => `${c.name} (${new Date(c.timestamp * 1000).toISOString()})`).join(', ');
    console.log(`  cosigned by ${result.cosigned.length} of the ${witnesses.witnesses.length} witnesses pinned (${witnesses.quorum} required): ${by}`);
  }
  console.log(
    token === undefined
      ? '  entry contents not checked (no oversight token); root recomputed from the level-0 tiles and from the tile structure'
      : `  ${entriesChecked} entries match their leaf hashes${onThreads(threads)}; root recomputed from entries and from tiles`,
  );
  if (result.extended) {
    const proof = result.extended.proofChecked ? ' (tiles and consistency proof)' : '';
    console.log(`  consistent with trusted size ${result.extended.trusted.size}${proof}`);
  }
  console.log(`  ${result.publicRecords} public records match their logged entries`);
  return 0;
}

/**
 * The monitor an oversight body leaves running: each round verifies the log against the state
 * the previous round accepted (consistency, signatures, cosignatures, new entries, every public
 * record) and keeps that state (in --state too). Any failure is an ALARM: a line on standard
 * error and exit status 1, so that whatever runs it can page someone.
 */
async function follow(args: Args, options: Omit<Parameters<typeof verifyUrl>[0], 'trusted'>, start: TrustedState | undefined): Promise<number> {
  const interval = seconds(args.interval ?? '30', '--interval') * 1000;
  const rounds = args.rounds === undefined ? Infinity : seconds(args.rounds, '--rounds');
  let trusted = start;
  let checked = false;
  let stop = false;
  const wake: Array<() => void> = [];
  const end = () => {
    stop = true;
    wake.forEach((w) => w());
  };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  for (let round = 1; round <= rounds && !stop; round++) {
    let result: Awaited<ReturnType<typeof verifyUrl>>;
    try {
      result = await verifyUrl({ ...options, trusted, trustedEntriesChecked: checked });
    } catch (error) {
      const at = error instanceof VerificationFailure && error.index !== undefined ? ` at index ${error.index}` : '';
      console.error(`ALARM ${new Date().toISOString()}${at}: ${(error as Error).message}`);
      return 1;
    }
    const { checkpoint } = result.tree;
    if (!trusted || checkpoint.size !== trusted.size || round === 1) {
      const cosigned = result.cosigned ? `, cosigned by ${result.cosigned.map((c) => c.name).join(', ')}` : '';
      console.log(`${new Date().toISOString()} OK tree size ${checkpoint.size}${trusted ? ` (+${checkpoint.size - trusted.size})` : ''}${cosigned}; ${result.publicRecords} public records match`);
    }
    trusted = stateOf(checkpoint, result.verifierKey);
    checked = options.token !== undefined;
    if (args.state) writeState(args.state, trusted);
    if (round < rounds && !stop) await new Promise<void>((resolve) => { const timer = setTimeout(resolve, interval); wake.push(() => { clearTimeout(timer); resolve(); }); });
  }
  return 0;
}

function witnessQuorum(args: Args): number | undefined {
  const raw = args['witness-quorum'];
  if (raw === undefined) return undefined;
  const count = args.witness?.length ?? 0;
  if (count === 0) throw new UsageError('--witness-quorum needs --witness.');
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > count) throw new UsageError(`--witness-quorum must be a whole number from 1 to ${count} (the witnesses given), got ${raw}`);
  return Number(raw);
}

function seconds(raw: string, option: string): number {
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new UsageError(`${option} must be a number of seconds, got ${raw}`);
  return Number(raw);
}

// The token is never printed: it goes only into the Authorization header of oversight requests.
function readToken(file: string | undefined): string | undefined {
  let token = process.env.CUSTODIA_TOKEN;
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (token.trim() === '') throw new UsageError(`--token-file ${file} is empty`);
  }
  const trimmed = token?.trim();
  return trimmed ? trimmed : undefined;
}

function usage(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 2;
}

process.exitCode = await main();

/** Said when entries were hashed on more than one thread. */
function onThreads(threads: number): string {
  return threads > 1 ? ` (hashed on ${threads} threads)` : '';
}
