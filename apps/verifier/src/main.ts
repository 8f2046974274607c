import { parseArgs } from 'node:util';
import { encodeBase64 } from '@custodia/tlog';
import { readState, writeState } from './trusted-state.js';
import { VerificationFailure } from './failure.js';
import { verifyDirectory } from './verify-directory.js';

const USAGE = `Custodia log verifier: checks a C2SP tlog-tiles log without trusting whoever serves it.

  npm run verify -- --dir <tiles folder> --key <verifier key> [--checkpoint <file>] [--state <file>]

  --dir         a folder holding checkpoint, tile/<L>/<N> and tile/entries/<N>
  --key         the log's signed-note verifier key: <name>+<key id>+<base64 key>
  --checkpoint  the signed checkpoint to verify (default: <dir>/checkpoint)
  --state       remembers the last checkpoint accepted; a later run fails on a fork or rollback

Exit status: 0 verified, 1 verification failed (the first bad index is named), 2 usage error.`;

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        dir: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        checkpoint: { type: 'string' },
        state: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.url) return usage('--url is not available yet: the service does not serve its log tiles yet. Use --dir.');
  if (!args.dir || !args.key) return usage('--dir and --key are required.');

  try {
    const trusted = args.state ? readState(args.state) : undefined;
    const { checkpoint, entries } = verifyDirectory({ dir: args.dir, verifierKey: args.key, checkpointFile: args.checkpoint, trusted });
    if (args.state) writeState(args.state, checkpoint);
    console.log(`OK ${checkpoint.origin}`);
    console.log(`  tree size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`);
    console.log(`  signature verified; ${entries} entries match their leaf hashes; root recomputed from entries and from tiles`);
    if (trusted) console.log(`  consistent with the checkpoint trusted before (size ${trusted.size})`);
    return 0;
  } catch (error) {
    if (error instanceof VerificationFailure) {
      const at = error.index === undefined ? '' : ` at index ${error.index}`;
      console.error(`FAILED${at}: ${error.message}`);
      return 1;
    }
    console.error(`FAILED: ${(error as Error).message}`);
    return 1;
  }
}

function usage(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 2;
}

process.exitCode = main();
