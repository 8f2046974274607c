import { describe, expect, it } from '@jest/globals';
import { emptyRoot, encodeBase64, parseCheckpoint, parseNote, signCheckpoint } from '@custodia/tlog';
import { checkConsistency, openSubmittedCheckpoint, parseAddCheckpoint, Refusal } from './add-checkpoint.js';
import { addCheckpointBody, flipBit, TestLog } from './testing/test-log.js';
import { trustLogs } from './trusted-logs.js';

const log = new TestLog('log.example/a', 1, 40);
const logs = trustLogs([log.verifierKey]);
const bytes = (text: string) => new TextEncoder().encode(text);

function refusal(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('no refusal');
}

const parse = (body: string) => parseAddCheckpoint(bytes(body));
const open = (body: string) => openSubmittedCheckpoint(parse(body), logs);
const check = (cosigned: { size: number; rootHash: Uint8Array } | undefined, body: string) => {
  const request = parse(body);
  checkConsistency(cosigned, request, parseCheckpoint(parseNote(request.note).text));
};

describe('parseAddCheckpoint (C2SP tlog-witness request body)', () => {
  it('reads the old size, the proof hashes and the note', () => {
    const proof = log.proof(13, 40);
    const request = parse(log.body(13, 40));
    expect(request.oldSize).toBe(13);
    expect(request.proof.map(encodeBase64)).toEqual(proof.map(encodeBase64));
    expect(request.note).toBe(log.checkpoint(40));
  });

  it('reads an empty proof', () => {
    expect(parse(log.body(0, 5))).toMatchObject({ oldSize: 0, proof: [] });
  });

  const note = log.checkpoint(5);
  const hash = encodeBase64(log.root(3));
  it.each([
    ['an empty body', ''],
    ['no old line', `\n${note}`],
    ['a size with a leading zero', `old 05\n\n${note}`],
    ['a negative size', `old -1\n\n${note}`],
    ['two spaces', `old  1\n\n${note}`],
    ['a carriage return', `old 1\r\n\r\n${note}`],
    ['a size past 2^53', `old 9007199254740993\n\n${note}`],
    ['an old line without its newline', 'old 1'],
    ['no empty line', `old 0\n${hash}\n`],
    ['a proof line that is not base64', `old 1\nnot base64!\n\n${note}`],
    ['a proof hash of 31 bytes', `old 1\n${encodeBase64(new Uint8Array(31))}\n\n${note}`],
    ['64 proof lines', `old 1\n${`${hash}\n`.repeat(64)}\n${note}`],
  ])('refuses %s with 400', (_, body) => {
    expect(refusal(() => parse(body)).status).toBe(400);
  });

  it('takes 63 proof lines', () => {
    expect(parse(`old 1\n${`${hash}\n`.repeat(63)}\n${note}`).proof).toHaveLength(63);
  });

  it('refuses a body that is not UTF-8 with 400', () => {
    expect(refusal(() => parseAddCheckpoint(Uint8Array.of(0x6f, 0x6c, 0x64, 0x20, 0xff, 0x0a, 0x0a))).status).toBe(400);
  });
});

describe('openSubmittedCheckpoint', () => {
  it('keeps the verified log signature and drops those of unknown keys', () => {
    const other = new TestLog('someone.else/log', 2);
    const opened = open(log.body(0, 5, [], log.checkpoint(5, [log.signer, other.signer])));
    expect(opened.checkpoint.size).toBe(5);
    expect(opened.logSignatures.map((s) => s.name)).toEqual(['log.example/a']);
  });

  it.each([
    ['a note without signatures', addCheckpointBody(0, [], 'log.example/a\n5\nAAAA\n')],
    ['a checkpoint with a short root hash', addCheckpointBody(0, [], `log.example/a\n5\nAAAA\n\n${sigLines()}`)],
    ['old size larger than the checkpoint size', log.body(6, 5, [])],
  ])('answers 400 for %s', (_, body) => {
    expect(refusal(() => open(body)).status).toBe(400);
  });

  it('answers 404 for an origin it does not know', () => {
    const stranger = new TestLog('unknown.example/log', 3, 5);
    expect(refusal(() => open(stranger.body(0, 5))).status).toBe(404);
  });

  it('answers 403 when only an untrusted key of that origin signed', () => {
    const impostor = new TestLog('log.example/a', 4, 5);
    expect(refusal(() => open(impostor.body(0, 5))).status).toBe(403);
  });

  it("answers 403 when the trusted key's signature does not verify", () => {
    const checkpoint = log.checkpoint(5);
    // Same key name and ID, another checkpoint's signature: the line is the trusted key's and fails.
    const forged = checkpoint.replace(/\u2014 .*\n$/, sigLines(log.checkpoint(6)));
    expect(refusal(() => open(log.body(0, 5, [], forged))).status).toBe(403);
  });
});

describe('checkConsistency (C2SP tlog-witness rules)', () => {
  const at = (size: number) => ({ size, rootHash: log.root(size) });

  it('accepts a first checkpoint from old size 0, and a growth with its proof', () => {
    expect(() => check(undefined, log.body(0, 10))).not.toThrow();
    expect(() => check(at(10), log.body(10, 40))).not.toThrow();
    expect(() => check(at(1), log.body(1, 2))).not.toThrow();
  });

  it('accepts the checkpoint cosigned last again (a retry)', () => {
    expect(() => check(at(10), log.body(10, 10))).not.toThrow();
  });

  it('answers 409 with the size cosigned when the old size is another', () => {
    const conflict = refusal(() => check(at(10), log.body(5, 40)));
    expect([conflict.status, conflict.cosignedSize]).toEqual([409, 10]);
    expect(refusal(() => check(undefined, log.body(5, 40))).cosignedSize).toBe(0);
  });

  it('answers 422 for a size-0 checkpoint whose root is not the empty tree', () => {
    const bad = signCheckpoint({ origin: log.origin, size: 0, rootHash: log.root(1) }, [log.signer]);
    expect(refusal(() => check(undefined, addCheckpointBody(0, [], bad))).status).toBe(422);
    const good = signCheckpoint({ origin: log.origin, size: 0, rootHash: emptyRoot() }, [log.signer]);
    expect(() => check(undefined, addCheckpointBody(0, [], good))).not.toThrow();
  });

  it('answers 422 for a proof from old size 0', () => {
    expect(refusal(() => check(undefined, log.body(0, 10, log.proof(5, 10)))).status).toBe(422);
  });

  it('answers 422 for a proof that does not verify, too short, too long or between equal sizes', () => {
    const proof = log.proof(10, 40);
    for (const bad of [[flipBit(proof[0]!), ...proof.slice(1)], proof.slice(1), [...proof, proof[0]!], log.proof(9, 40)]) {
      expect(refusal(() => check(at(10), log.body(10, 40, bad))).status).toBe(422);
    }
    expect(refusal(() => check(at(10), log.body(10, 10, proof))).status).toBe(422);
  });

  it('answers 422 for the size cosigned with another root (a fork)', () => {
    const fork = new TestLog('log.example/a', 1, 10, 'forged');
    expect(refusal(() => check(at(10), fork.body(10, 10))).status).toBe(422);
  });

  it('never accepts a tree smaller than the one cosigned', () => {
    expect(refusal(() => open(log.body(10, 5, []))).status).toBe(400);
    expect(refusal(() => check(at(10), log.body(5, 5, []))).status).toBe(409);
  });
});

function sigLines(checkpoint = log.checkpoint(5)): string {
  return checkpoint.slice(checkpoint.lastIndexOf('\n\n') + 2);
}
