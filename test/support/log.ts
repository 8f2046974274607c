import { createHash } from 'node:crypto';
import { openCheckpoint, parseVerifierKey } from '@custodia/tlog';
import type TestAgent from 'supertest/lib/agent.js';

/** The signed checkpoint the service serves now, opened with the key it publishes. */
export async function currentCheckpoint(http: TestAgent) {
  const { verifierKey } = (await http.get('/api/v1/log/key').expect(200)).body as { verifierKey: string };
  const note = (await http.get('/log/checkpoint').expect(200)).text;
  return openCheckpoint(note, [parseVerifierKey(verifierKey)]).checkpoint;
}

/** Waits until the log holds at least `size` entries (integration is asynchronous). */
export async function waitForTreeSize(http: TestAgent, size: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get('/log/checkpoint');
    if (res.status === 200) {
      const checkpoint = await currentCheckpoint(http);
      if (checkpoint.size >= size) return checkpoint;
    }
    if (Date.now() > deadline) throw new Error(`the log did not reach ${size} entries in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** RFC 9162 leaf hash, computed here with node:crypto rather than the service's library. */
export function leafHash(entry: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(entry).digest();
}

/** RFC 9162 §2.1.1 MTH, recursively, the way the RFC writes it. */
export function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(merkleRoot(leaves.slice(0, k)))
    .update(merkleRoot(leaves.slice(k)))
    .digest();
}
