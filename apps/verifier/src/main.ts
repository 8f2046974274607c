import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeBase64 } from '@custodia/tlog';
import { VerificationFailure } from './failure.js';
import { readState, stateOf, writeState } from './trusted-state.js';
import { verifyDirectory } from './verify-directory.js';
import { verifyUrl } from './verify-url.js';

const USAGE = `Custodia log verifier: checks a C2SP tlog-tiles log without trusting whoever serves it.

  npm run verify -- --url <base URL> [--key <verifier key>] [--state <file>] [--token-file <file>] [--pending-wait <seconds>]
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
  if (args['token-file'] !== undefined || args['pending-wait'] !== undefined) {
    throw new UsageError('--token-file and --pending-wait are for --url.');
  }
  const trusted = args.state ? readState(args.state) : undefined;
  const { checkpoint, entriesChecked } = await verifyDirectory({ dir, verifierKey: args.key, checkpointFile: args.checkpoint, trusted });
  if (args.state) writeState(args.state, stateOf(checkpoint, args.key));
  console.log(`OK ${checkpoint.origin}`);
  console.log(`  tree size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`);
  console.log(`  signature verified; ${entriesChecked} entries match their leaf hashes; root recomputed from entries and from tiles`);
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

  const result = await verifyUrl({
    url,
    key: args.key,
    trusted,
    token,
    pendingWaitMs: Number(wait) * 1000,
    warn: (message) => console.error(`WARNING: ${message}`),
  });
  const { checkpoint, entriesChecked } = result.tree;
  if (args.state) writeState(args.state, stateOf(checkpoint, result.verifierKey));
  const pinnedBy = {
    option: 'the key given with --key',
    state: 'the key pinned in the state file',
    'first use': `the key the server presented, NOT pinned (trusted on first use${args.state ? ', now pinned in the state file' : ''})`,
  }[result.keySource];
  console.log(`OK ${checkpoint.origin}`);
  console.log(`  tree size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`);
  console.log(`  signature verified with ${pinnedBy}`);
  console.log(
    token === undefined
      ? '  entry contents not checked (no oversight token); root recomputed from the level-0 tiles and from the tile structure'
      : `  ${entriesChecked} entries match their leaf hashes; root recomputed from entries and from tiles`,
  );
  if (result.extended) {
    const proof = result.extended.proofChecked ? ' (tiles and consistency proof)' : '';
    console.log(`  consistent with trusted size ${result.extended.trusted.size}${proof}`);
  }
  console.log(`  ${result.publicRecords} public records match their logged entries`);
  return 0;
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
