// What this process knows about the pauses, asked on every storefront request.
//
// PostgreSQL: an in-memory copy, so a request costs no query. A dedicated connection LISTENs on
// PAUSE_CHANNEL (pauseShop/resumeShop NOTIFY in their transaction) and reloads the copy on each
// notification; it reconnects with backoff after an error and reloads then, since notifications
// sent while it was away are lost. A fallback poll reloads anyway every SHOP_PAUSE_POLL_SECONDS.
// SQLite: every ask reads the table (one row at most per scope, a prepared statement: microseconds),
// so several processes on one file see a stop at their next request — no cache to invalidate.
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { ShopLogger } from '../shop-context.ts';
import { activePauses, PAUSE_CHANNEL, type Pauses } from './shop-pause.ts';

export interface PauseState {
  /** The pauses in force, as this process knows them (PostgreSQL: the copy; SQLite: the table). */
  current(): Promise<Pauses>;
  /** Loads the copy and starts listening (no-op on SQLite). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves once the known state satisfies `predicate` (tests and the propagation bench await the
   * reload a NOTIFY caused instead of sleeping); rejects after `timeoutMs`. SQLite: reads once.
   */
  until(predicate: (pauses: Pauses) => boolean, timeoutMs: number): Promise<void>;
  /** For the status page and tests: how the copy is kept. */
  describe(): { kind: 'direct' } | { kind: 'listen'; listening: boolean; pollMs: number; reloads: number };
}

export function directPauseState(db: Kysely<any>): PauseState {
  return {
    current: () => activePauses(db),
    start: async () => {},
    stop: async () => {},
    async until(predicate) {
      if (!predicate(await activePauses(db))) throw new Error('the pause state is not as expected');
    },
    describe: () => ({ kind: 'direct' }),
  };
}

export interface ListeningPauseStateOptions {
  db: Kysely<any>;
  /** The listener's own connection (not the pool's: a pooled client would be handed to queries). */
  connectionString: string;
  pollMs: number;
  logger: ShopLogger;
  /** Backoff bounds of the listener's reconnects (ms). */
  reconnectMs?: { first: number; max: number };
}

export function listeningPauseState(opts: ListeningPauseStateOptions): PauseState {
  const reconnect = opts.reconnectMs ?? { first: 100, max: 5000 };
  let snapshot: Pauses = {};
  // Reloads may overlap (a notification during a poll): only the latest-started one may land.
  let started = 0;
  let applied = 0;
  let reloads = 0;
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = false;
  let backoff = reconnect.first;
  let pollTimer: NodeJS.Timeout | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  const waiters = new Set<{ predicate: (p: Pauses) => boolean; resolve: () => void }>();

  async function reload(): Promise<void> {
    const generation = ++started;
    const pauses = await activePauses(opts.db);
    if (generation > applied) {
      applied = generation;
      snapshot = pauses;
      reloads++;
      for (const w of waiters) if (w.predicate(snapshot)) { waiters.delete(w); w.resolve(); }
    }
  }
  const reloadQuietly = () => reload().catch((err: unknown) => opts.logger.warn({ err }, 'shop pause state could not be reloaded; keeping the last known state'));

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    listening = false;
    const c = client;
    client = undefined;
    c?.removeAllListeners();
    // Errors on a dead client after this point are expected; swallow them instead of crashing.
    c?.on('error', () => {});
    c?.end().catch(() => {});
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void listen();
    }, backoff);
    reconnectTimer.unref();
    backoff = Math.min(backoff * 2, reconnect.max);
  }

  async function listen(initial = false): Promise<void> {
    if (stopped) return;
    // TCP keep-alive: a connection that dies without a word (a NAT timeout) ends in an error and a
    // reconnect instead of a listener that hears nothing; the fallback poll covers the meantime.
    const c = new pg.Client({ connectionString: opts.connectionString, keepAlive: true });
    client = c;
    c.on('notification', (n) => { if (n.channel === PAUSE_CHANNEL) void reloadQuietly(); });
    c.on('error', (err) => {
      opts.logger.warn({ err }, 'shop pause listener lost its connection; reconnecting');
      scheduleReconnect();
    });
    c.on('end', () => { if (client === c) scheduleReconnect(); });
    try {
      await c.connect();
      await c.query(`LISTEN ${PAUSE_CHANNEL}`);
      if (stopped || client !== c) return;
      listening = true;
      backoff = reconnect.first;
      // What changed while nobody was listening (the first start loads for itself).
      if (!initial) await reloadQuietly();
    } catch (err) {
      if (client !== c) return;
      opts.logger.warn({ err }, 'shop pause listener could not connect; retrying');
      scheduleReconnect();
    }
  }

  return {
    current: async () => snapshot,
    async start() {
      stopped = false;
      await listen(true);
      // Not quietly: a stop in force before this process started must apply from its first request.
      await reload();
      pollTimer = setInterval(() => void reloadQuietly(), opts.pollMs);
      pollTimer.unref();
    },
    async stop() {
      stopped = true;
      if (pollTimer) clearInterval(pollTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const c = client;
      client = undefined;
      listening = false;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
    until(predicate, timeoutMs) {
      if (predicate(snapshot)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = { predicate, resolve: () => { clearTimeout(timer); resolve(); } };
        const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`the pause state did not change within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.add(waiter);
      });
    },
    describe: () => ({ kind: 'listen', listening, pollMs: opts.pollMs, reloads }),
  };
}
