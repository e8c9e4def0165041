// One LISTEN connection per process for every PostgreSQL notification channel the shop uses (the
// shop pause, catalog invalidation): several instances on one database hear each other's changes
// at once instead of waiting for a poll or a cache's TTL.
//
// A dedicated client, not one from the pool: a pooled client would be handed to queries. It
// reconnects with backoff after an error; notifications sent while it was away are lost, so every
// subscriber's `resync` runs after a reconnect (reload the state, drop the cache).
import pg from 'pg';
import type { ShopLogger } from '../shop-context.ts';

export interface NotificationSubscriber {
  /** A notification on the channel (payload as sent, '' when none). */
  notify(payload: string): void;
  /** After a reconnect: whatever was announced meanwhile is unknown. */
  resync(): void;
}

export interface NotificationListener {
  /** Adds a channel; before start() or while listening (it LISTENs at once then). */
  subscribe(channel: string, subscriber: NotificationSubscriber): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  listening(): boolean;
}

export interface NotificationListenerOptions {
  connectionString: string;
  logger: ShopLogger;
  /** Backoff bounds of the reconnects (ms). */
  reconnectMs?: { first: number; max: number };
}

/** Channel names are identifiers in LISTEN (no parameters there): only plain ones are accepted. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function pgNotificationListener(opts: NotificationListenerOptions): NotificationListener {
  const reconnect = opts.reconnectMs ?? { first: 100, max: 5000 };
  const subscribers = new Map<string, NotificationSubscriber[]>();
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = true;
  let backoff = reconnect.first;
  let reconnectTimer: NodeJS.Timeout | undefined;

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
      void connect(false);
    }, backoff);
    reconnectTimer.unref();
    backoff = Math.min(backoff * 2, reconnect.max);
  }

  async function connect(initial: boolean): Promise<void> {
    if (stopped) return;
    // TCP keep-alive: a connection that dies without a word (a NAT timeout) ends in an error and a
    // reconnect instead of a listener that hears nothing.
    const c = new pg.Client({ connectionString: opts.connectionString, keepAlive: true });
    client = c;
    c.on('notification', (n) => {
      for (const s of subscribers.get(n.channel) ?? []) s.notify(n.payload ?? '');
    });
    c.on('error', (err) => {
      opts.logger.warn({ err }, 'notification listener lost its connection; reconnecting');
      scheduleReconnect();
    });
    c.on('end', () => { if (client === c) scheduleReconnect(); });
    try {
      await c.connect();
      for (const channel of subscribers.keys()) await c.query(`LISTEN ${channel}`);
      if (stopped || client !== c) return;
      listening = true;
      backoff = reconnect.first;
      // What changed while nobody was listening (the first start's subscribers load for themselves).
      if (!initial) for (const list of subscribers.values()) for (const s of list) s.resync();
    } catch (err) {
      if (client !== c) return;
      opts.logger.warn({ err }, 'notification listener could not connect; retrying');
      scheduleReconnect();
    }
  }

  return {
    async subscribe(channel, subscriber) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
      const list = subscribers.get(channel);
      if (list) { list.push(subscriber); return; }
      subscribers.set(channel, [subscriber]);
      if (listening && client) await client.query(`LISTEN ${channel}`);
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      await connect(true);
    },
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      const c = client;
      client = undefined;
      listening = false;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
    listening: () => listening,
  };
}
