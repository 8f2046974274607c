import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateCosignerKey, isValidKeyName, type NoteSigner, parseCosignerSignerKey } from '@custodia/tlog';
import { startWitness } from './server.js';
import { StateDirInUseError } from './state-lock.js';
import { StateFileError } from './state-file.js';
import { trustLogs } from './trusted-logs.js';

const USAGE = `Custodia witness: cosigns the checkpoints of the logs it trusts (C2SP tlog-witness), never
two different trees of one size and never a smaller tree than the last it cosigned.

  npm run -s witness -- key --name <witness name> [--out <file>]
  npm run -s witness -- serve (--key-file <file> | env WITNESS_SIGNING_KEY) --state <dir>
                              --log <log verifier key> [--log ...] [--listen <host:port>]

  key         makes a new Ed25519 cosignature/v1 key pair. Without --out the signer key goes to
              stdout and the verifier key to stderr; with --out the signer key is written to
              <file> (mode 0600, never over an existing file) and the verifier key to stdout
  --name      the witness's name, e.g. witness.example.org/w1 (no spaces or "+")
  serve       answers POST /add-checkpoint (and GET / and GET /<origin hash>/checkpoint)
  --key-file  a file holding the signer key (PRIVATE+KEY+...); or set WITNESS_SIGNING_KEY
  --state     the folder keeping the latest checkpoint cosigned for each log (created if missing)
  --log       a log's verifier key, <origin>+<key ID>+<key>: its name is the log's origin.
              Repeat for more logs, or for more keys of one log
  --listen    where to listen (default 127.0.0.1:7380; port 0 takes any free port)

Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start (state folder in use, corrupt
state file, address in use), 2 usage error.`;

const DEFAULT_LISTEN = '127.0.0.1:7380';

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'key') return makeKey(rest);
    if (command === 'serve') return await serve(rest);
    if (command === '--help' || command === '-h' || command === 'help') {
      console.log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? 'Give a command: key or serve.' : `Unknown command ${command}.`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function makeKey(args: string[]): number {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, out: { type: 'string' } } });
  if (values.name === undefined || !isValidKeyName(values.name)) throw new UsageError('key needs --name <witness name> (no spaces or "+").');
  const { signerKey, verifierKey } = generateCosignerKey(values.name);
  if (values.out === undefined) {
    console.log(signerKey);
    console.error(`Verifier key (publish it; the log and its verifiers pin it): ${verifierKey}`);
    return 0;
  }
  try {
    writeFileSync(values.out, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    console.error(`Cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists (a key is never overwritten)' : (error as Error).message}`);
    return 1;
  }
  console.log(verifierKey);
  return 0;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'key-file': { type: 'string' }, state: { type: 'string' }, log: { type: 'string', multiple: true }, listen: { type: 'string' } },
  });
  const signer = readSigner(values['key-file']);
  if (values.state === undefined || values.state === '') throw new UsageError('serve needs --state <dir>.');
  if (!values.log?.length) throw new UsageError('serve needs at least one --log <log verifier key>.');
  let logs;
  try {
    logs = trustLogs(values.log);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { host, port } = parseListen(values.listen ?? DEFAULT_LISTEN);
  // CUSTODIA_FAILPOINT, for the crash tests only: die as if killed once the state is durable.
  const afterPersist = process.env.CUSTODIA_FAILPOINT === 'witness-after-persist' ? () => process.kill(process.pid, 'SIGKILL') : undefined;

  let running;
  try {
    running = await startWitness({ stateDir: values.state, signer, logs, host, port, afterPersist, log: (line) => console.error(line) });
  } catch (error) {
    const known = error instanceof StateDirInUseError || error instanceof StateFileError;
    console.error(known ? (error as Error).message : `Cannot start the witness: ${(error as Error).message}`);
    return 1;
  }
  // One write, so that whoever waits for the first line gets the rest with it.
  const cosigning = [...logs.keys()].map((origin) => `Cosigning for ${origin}`);
  console.log([`Custodia witness ${signer.name} listening at ${running.url}`, `Verifier key: ${running.witness.verifierKey}`, ...cosigning].join('\n'));

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  console.error(`${signal}: stopping`);
  await running.close();
  return 0;
}

// The key itself is never printed, not even in an error.
function readSigner(keyFile: string | undefined): NoteSigner {
  const fromEnv = process.env.WITNESS_SIGNING_KEY?.trim();
  if (keyFile !== undefined && fromEnv) throw new UsageError('Give the signer key either with --key-file or in WITNESS_SIGNING_KEY, not both.');
  let key = fromEnv;
  const source = keyFile === undefined ? 'WITNESS_SIGNING_KEY' : `--key-file ${keyFile}`;
  if (keyFile !== undefined) {
    try {
      key = readFileSync(keyFile, 'utf8').trim();
      if ((statSync(keyFile).mode & 0o077) !== 0) console.error(`WARNING: ${keyFile} can be read by other users; chmod 600 it.`);
    } catch (error) {
      throw new UsageError(`Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (!key) throw new UsageError('serve needs the signer key: --key-file <file> or WITNESS_SIGNING_KEY (npm run -s witness -- key makes one).');
  try {
    return parseCosignerSignerKey(key);
  } catch (error) {
    throw new UsageError(`${source} is not a witness signer key (PRIVATE+KEY+<name>+<key ID>+<key>, cosignature/v1): ${(error as Error).message}`);
  }
}

// host:port, the host in brackets when it is an IPv6 address ([::1]:7380).
function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new UsageError(`--listen must be <host>:<port>, got ${listen}`);
  return { host: match[1] ?? match[2]!, port };
}

process.exitCode = await main(process.argv.slice(2));
