// Bounds one target's scan: a cap on connections and a wall-clock deadline, so a slow or
// hostile server can never make the scanner run (or knock) for ever.
import { connect, type Socket } from 'node:net';

export interface ScanBounds {
  /** Connect and read timeout for one connection, in ms. */
  timeoutMs: number;
  /** Most connections one target may receive. */
  maxConnections: number;
  /** Wall-clock cap for the whole target, in ms. */
  maxDurationMs: number;
}

export const DEFAULT_BOUNDS: ScanBounds = { timeoutMs: 5_000, maxConnections: 400, maxDurationMs: 60_000 };

export type OpenOutcome =
  | { ok: true; socket: Socket }
  | { ok: false; error: 'BUDGET_EXHAUSTED' | 'CONNECT_FAILED' | 'TIMEOUT'; detail: string };

export class ConnectionBudget {
  readonly deadline: number;
  used = 0;
  // Whether the server serves connections in parallel: seen when a connection gets more data after
  // another connection got its first. A single-threaded server (s_server) finishes one connection
  // before it answers the next, so its answers never interleave (data arrives, and is read, in order).
  private dataEvents = 0;
  private latestFirstData = 0;
  private parallelSeen = false;
  private onParallel: Array<() => void> = [];

  constructor(readonly bounds: ScanBounds) {
    this.deadline = Date.now() + bounds.maxDurationMs;
  }

  get exhausted(): boolean { return this.used >= this.bounds.maxConnections || Date.now() >= this.deadline; }

  /** Deadline for one read: the per-connection timeout, never past the target's deadline. */
  readDeadline(): number { return Math.min(Date.now() + this.bounds.timeoutMs, this.deadline); }

  /** Resolves (true) once the server has answered two connections at once; stays pending otherwise. */
  servesInParallel(): Promise<true> {
    return this.parallelSeen ? Promise.resolve(true) : new Promise((resolve) => this.onParallel.push(() => resolve(true)));
  }

  private watch(socket: Socket): void {
    let last = 0;
    socket.on('data', () => {
      const n = ++this.dataEvents;
      if (last === 0) this.latestFirstData = n;
      else if (this.latestFirstData > last && !this.parallelSeen) {
        this.parallelSeen = true;
        for (const f of this.onParallel.splice(0)) f();
      }
      last = n;
    });
  }

  async open(host: string, port: number): Promise<OpenOutcome> {
    if (this.exhausted) return { ok: false, error: 'BUDGET_EXHAUSTED', detail: `limit of ${this.bounds.maxConnections} connections or ${this.bounds.maxDurationMs} ms reached` };
    this.used++;
    return new Promise((resolve) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => { socket.destroy(); resolve({ ok: false, error: 'TIMEOUT', detail: `connect to ${host}:${port} timed out` }); }, Math.max(1, this.readDeadline() - Date.now()));
      socket.once('connect', () => { clearTimeout(timer); this.watch(socket); resolve({ ok: true, socket }); });
      socket.once('error', (err) => { clearTimeout(timer); socket.destroy(); resolve({ ok: false, error: 'CONNECT_FAILED', detail: err.message }); });
    });
  }
}
