// What this process knows about the pauses, asked on every storefront request.
//
// PostgreSQL: an in-memory copy, so a request costs no query. The process's notification listener
// (src/db/notification-listener.ts, one connection shared with the catalog cache) LISTENs on
// PAUSE_CHANNEL (pauseShop/resumeShop NOTIFY in their transaction) and the copy is reloaded on each
// notification; after the listener reconnects it is reloaded too, since notifications sent while
// it was away are lost. A fallback poll reloads anyway every SHOP_PAUSE_POLL_SECONDS.
// SQLite: a copy kept as long as the file's change marker (src/db/database.ts: PRAGMA data_version
// for other connections' commits, total_changes() for this one's writes) is the one read before it
// was loaded; any write anywhere to the file reloads it on the next ask. Two prepared statements per
// request instead of a query through Kysely (7% of a product page), and still no stop is missed:
// several processes on one file see a stop at their next request.
import type { Kysely } from 'kysely';
import type { ShopLogger } from '../shop-context.ts';
import { activePauses, PAUSE_CHANNEL, type Pauses } from './shop-pause.ts';
import { pgNotificationListener, type NotificationListener } from '../db/notification-listener.ts';

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
  describe(): { kind: 'direct'; loads?: number } | { kind: 'listen'; listening: boolean; pollMs: number; reloads: number };
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

/**
 * SQLite's kept copy. The marker is read before the table, so a write that lands while the table
 * is being read leaves the copy under an older marker: the next ask reloads.
 */
export function markedPauseState(db: Kysely<any>, changeMarker: () => string): PauseState {
  let kept: { marker: string; pauses: Pauses } | undefined;
  let loads = 0;
  const current = async (): Promise<Pauses> => {
    const marker = changeMarker();
    if (kept?.marker === marker) return kept.pauses;
    const pauses = await activePauses(db);
    loads++;
    kept = { marker, pauses };
    return pauses;
  };
  return {
    current,
    start: async () => { kept = undefined; },
    stop: async () => { kept = undefined; },
    async until(predicate) {
      if (!predicate(await current())) throw new Error('the pause state is not as expected');
    },
    describe: () => ({ kind: 'direct', loads }),
  };
}

export interface ListeningPauseStateOptions {
  db: Kysely<any>;
  /**
   * The process's shared listener (src/db/notification-listener.ts), started and stopped by its
   * owner; or a connection string, for a listener of this state's own.
   */
  notifications?: NotificationListener;
  connectionString?: string;
  pollMs: number;
  logger: ShopLogger;
  /** Backoff bounds of the own listener's reconnects (ms). */
  reconnectMs?: { first: number; max: number };
}

export function listeningPauseState(opts: ListeningPauseStateOptions): PauseState {
  const shared = opts.notifications;
  if (!shared && !opts.connectionString) throw new Error('listeningPauseState needs a listener or a connection string');
  const listener = shared ?? pgNotificationListener({
    connectionString: opts.connectionString!, logger: opts.logger, ...(opts.reconnectMs ? { reconnectMs: opts.reconnectMs } : {}),
  });
  let snapshot: Pauses = {};
  // Reloads may overlap (a notification during a poll): only the latest-started one may land.
  let started = 0;
  let applied = 0;
  let reloads = 0;
  let pollTimer: NodeJS.Timeout | undefined;
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
  let subscribed: Promise<void> | undefined;

  return {
    current: async () => snapshot,
    async start() {
      // Notifications reload the copy; after a reconnect the listener asks for a reload too.
      subscribed ??= listener.subscribe(PAUSE_CHANNEL, { notify: () => void reloadQuietly(), resync: () => void reloadQuietly() });
      await subscribed;
      if (!shared) await listener.start();
      // Not quietly: a stop in force before this process started must apply from its first request.
      await reload();
      pollTimer = setInterval(() => void reloadQuietly(), opts.pollMs);
      pollTimer.unref();
    },
    async stop() {
      if (pollTimer) clearInterval(pollTimer);
      if (!shared) await listener.stop();
    },
    until(predicate, timeoutMs) {
      if (predicate(snapshot)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = { predicate, resolve: () => { clearTimeout(timer); resolve(); } };
        const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`the pause state did not change within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.add(waiter);
      });
    },
    describe: () => ({ kind: 'listen', listening: listener.listening(), pollMs: opts.pollMs, reloads }),
  };
}
