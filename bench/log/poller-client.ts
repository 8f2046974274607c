import { Worker } from 'node:worker_threads';
import type { PollerOptions, PollerReply, PollerRequest, Sighting } from './integration-poller.js';

/** The main thread's handle on the integration poller (integration-poller.ts, in a worker). */
export class IntegrationPoller {
  private waiting?: { resolve: (reply: Extract<PollerReply, { kind: 'flushed' }>) => void; reject: (error: Error) => void };
  private failure?: Error;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PollerReply) => {
      if (reply.kind === 'error') this.fail(new Error(`integration poller: ${reply.message}`));
      if (reply.kind === 'flushed') this.waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
  }

  static async start(options: PollerOptions): Promise<IntegrationPoller> {
    const worker = new Worker(new URL('./integration-poller.js', import.meta.url), { workerData: options });
    const poller = new IntegrationPoller(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (reply: PollerReply) => (reply.kind === 'ready' ? resolve() : reject(new Error(JSON.stringify(reply)))));
      worker.once('error', reject);
    });
    return poller;
  }

  /** What it has seen since the last flush, and how long each poll took (ms). */
  flush(): Promise<{ sightings: Sighting[]; pollMs: number[] }> {
    return this.request({ kind: 'flush' });
  }

  async stop(): Promise<{ sightings: Sighting[]; pollMs: number[] }> {
    try {
      return await this.request({ kind: 'stop' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(request: PollerRequest): Promise<{ sightings: Sighting[]; pollMs: number[] }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (reply) => {
          this.waiting = undefined;
          resolve({ sightings: reply.sightings, pollMs: reply.pollMs });
        },
        reject,
      };
      this.worker.postMessage(request);
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    this.waiting?.reject(error);
    this.waiting = undefined;
  }
}
