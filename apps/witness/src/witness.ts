import { cosignCheckpoint, encodeBase64, formatCosignerKey, type NoteSignature, type NoteSigner } from '@custodia/tlog';
import { checkConsistency, openSubmittedCheckpoint, parseAddCheckpoint, Refusal } from './add-checkpoint.js';
import { StateStore } from './state-store.js';
import type { TrustedLog } from './trusted-logs.js';

export interface WitnessOptions {
  stateDir: string;
  signer: NoteSigner;
  logs: ReadonlyMap<string, TrustedLog>;
  /** POSIX seconds. */
  now?: () => number;
  /**
   * Runs once a new state is durable and before its cosignature is answered: the crash tests
   * kill the process here (CUSTODIA_FAILPOINT=witness-after-persist).
   */
  afterPersist?: () => void;
  /** One line per cosignature or refusal, for the operator. */
  log?: (line: string) => void;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';

/** C2SP tlog-witness "add-checkpoint" over a StateStore: check, cosign, persist, answer. */
export class Witness {
  readonly verifierKey: string;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly store: StateStore,
    private readonly options: WitnessOptions,
  ) {
    this.verifierKey = formatCosignerKey(options.signer.name, options.signer.publicKey);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.log = options.log ?? (() => undefined);
  }

  static async open(options: WitnessOptions): Promise<Witness> {
    return new Witness(await StateStore.open(options.stateDir), options);
  }

  get name(): string {
    return this.options.signer.name;
  }

  async addCheckpoint(body: Uint8Array): Promise<Answer> {
    try {
      return await this.cosign(body);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.log(`refused ${error.status}: ${error.message}`);
      if (error.status === 409) return { status: 409, contentType: 'text/x.tlog.size', body: `${error.cosignedSize}\n` };
      return { status: error.status, contentType: TEXT, body: `${error.message}\n` };
    }
  }

  /** The latest cosigned checkpoint of the log whose origin hashes to `hash`, with its signatures. */
  servedCheckpoint(hash: string): string | undefined {
    return this.store.latestByOriginHash(hash)?.note;
  }

  description(): string {
    const logs = [...this.options.logs.values()].map((log) => {
      const size = this.store.latest(log.origin)?.size;
      return `  ${log.origin} (${size === undefined ? 'nothing cosigned yet' : `cosigned up to size ${size}`})\n`;
    });
    return (
      `Custodia witness ${this.name}\n` +
      `C2SP tlog-witness: POST /add-checkpoint; cosignatures are C2SP tlog-cosignature Ed25519 cosignature/v1\n` +
      `Verifier key: ${this.verifierKey}\n` +
      `Logs:\n${logs.join('')}`
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async cosign(body: Uint8Array): Promise<Answer> {
    const request = parseAddCheckpoint(body);
    const { checkpoint, text, logSignatures } = openSubmittedCheckpoint(request, this.options.logs);
    const { origin, size, rootHash } = checkpoint;

    return this.store.withOrigin(origin, async () => {
      try {
        checkConsistency(this.store.latest(origin), request, checkpoint);
      } catch (error) {
        // The log signed it, so a 422 is evidence of a fork or a bad proof: keep it.
        if (error instanceof Refusal && error.status === 422) {
          const refused = { time: new Date().toISOString(), origin, oldSize: request.oldSize, size, rootHash: encodeBase64(rootHash), reason: error.message, note: request.note };
          await this.store.recordRefusal(refused).catch((failure: Error) => this.log(`could not append to refused.log: ${failure.message}`));
        }
        throw error;
      }
      // C2SP tlog-witness: the timestamp MUST NOT be zero (the clock is past 1970).
      const timestamp = Math.max(1, this.now());
      const cosignature = cosignCheckpoint(text, this.options.signer, timestamp);
      const signedBy = this.options.logs.get(origin)!.keys.find((key) => logSignatures.some((s) => s.name === key.verifier.name && s.keyId === key.verifier.keyId))!;
      // C2SP tlog-witness: "The witness MUST persist the new checkpoint before responding."
      await this.store.save({
        origin,
        size,
        rootHash,
        checkpoint: text,
        note: `${text}\n${logSignatures.map(signatureLine).join('')}${cosignature}`,
        logKey: signedBy.verifierKey,
        cosignedAt: timestamp,
      });
      this.options.afterPersist?.();
      this.log(`cosigned ${origin} at size ${size}`);
      return { status: 200, contentType: TEXT, body: cosignature };
    });
  }
}

// C2SP signed-note: "— <name> base64(key ID || signature)".
function signatureLine(signature: NoteSignature): string {
  const id = signature.keyId;
  const keyId = Uint8Array.of(id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff);
  const bytes = new Uint8Array(4 + signature.signature.length);
  bytes.set(keyId);
  bytes.set(signature.signature, 4);
  return `\u2014 ${signature.name} ${encodeBase64(bytes)}\n`;
}
