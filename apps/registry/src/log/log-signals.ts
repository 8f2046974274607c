import { Injectable } from '@nestjs/common';

/**
 * How the writers of this process reach the integrator without depending on it: a committed
 * append wakes it in-process; `leaderHere` tells writers whether other instances must be told
 * by NOTIFY instead. Readers of the public view listen too: every change they could see comes
 * with a committed append, and every integrated batch changes the log entries they are shown.
 */
@Injectable()
export class LogSignals {
  leaderHere = false;
  private listeners: Array<() => void> = [];
  private integratedListeners: Array<(treeSize: number) => void> = [];

  onQueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  queued(): void {
    for (const listener of this.listeners) listener();
  }

  onIntegrated(listener: (treeSize: number) => void): void {
    this.integratedListeners.push(listener);
  }

  /** This process's integrator committed a batch: the tree has grown to `treeSize`. */
  integrated(treeSize: number): void {
    for (const listener of this.integratedListeners) listener(treeSize);
  }
}
