import { Injectable } from '@nestjs/common';

/**
 * How the writers of this process reach the integrator without depending on it: a committed
 * append wakes it in-process; `leaderHere` tells writers whether other instances must be told
 * by NOTIFY instead.
 */
@Injectable()
export class LogSignals {
  leaderHere = false;
  private listeners: Array<() => void> = [];

  onQueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  queued(): void {
    for (const listener of this.listeners) listener();
  }
}
