import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Events between processes: a worker running an import in one process reaches the watchers
 * connected to another. Messages are small JSON values (ids and counters, never rows): a
 * subscriber reloads what it needs. Publishing goes through the shared channel even within one
 * process, so every process sees the same stream in the same way.
 */
export interface EventBus {
  publish(topic: string, message: unknown): Promise<void>;
  /** Calls `listener` for every message of `topic` from any process; returns the unsubscribe. */
  subscribe(topic: string, listener: (message: unknown) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'loyalty_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (an envelope alone must fit, with its brackets). */
const MAX_PAYLOAD_BYTES = 7_900;

class Listeners {
  private readonly byTopic = new Map<string, Set<(message: unknown) => void>>();

  add(topic: string, listener: (message: unknown) => void): () => void {
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byTopic.delete(topic);
    };
  }

  /** Delivers one event, or each of a batch of them (a JSON array of envelopes, as PgEventBus sends them). */
  dispatch(raw: string, log: (message: string, error?: unknown) => void): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      log('Dropped an event that is not JSON', error);
      return;
    }
    for (const envelope of Array.isArray(parsed) ? parsed : [parsed]) this.deliver(envelope as { topic?: unknown; message?: unknown } | null, log);
  }

  private deliver(envelope: { topic?: unknown; message?: unknown } | null, log: (message: string, error?: unknown) => void): void {
    if (envelope === null || typeof envelope !== 'object' || typeof envelope.topic !== 'string') return;
    for (const listener of this.byTopic.get(envelope.topic) ?? []) {
      try {
        listener(envelope.message);
      } catch (error) {
        log(`An event listener of ${envelope.topic} failed`, error);
      }
    }
  }
}

function envelope(topic: string, message: unknown): string {
  const text = JSON.stringify({ topic, message });
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new Error(`Event for ${topic} is too large (${Buffer.byteLength(text)} bytes): publish ids, not data`);
  return text;
}

/** LISTEN/NOTIFY on the application's PostgreSQL: one dedicated listening connection per process, reconnected when lost. */
interface PendingEvent {
  readonly text: string;
  resolve(): void;
  reject(error: unknown): void;
}

export class PgEventBus implements EventBus {
  private readonly listeners = new Listeners();
  private readonly pending: PendingEvent[] = [];
  private flushing = false;
  private listener: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly connectionString: string,
    private readonly publisher: pg.Pool,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  static async connect(connectionString: string, log: (message: string, error?: unknown) => void): Promise<PgEventBus> {
    const bus = new PgEventBus(connectionString, new pg.Pool({ connectionString, max: 2, application_name: 'loyalty-events' }), log);
    bus.publisher.on('error', (error) => log('Event publisher connection failed', error));
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    // LISTEN holds its connection for good: a client of its own, never one of a pool's.
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'loyalty-events-listen' });
    client.on('notification', (notification) => {
      if (notification.channel === CHANNEL && notification.payload) this.listeners.dispatch(notification.payload, this.log);
    });
    client.on('error', (error) => {
      this.log('Event listener connection failed; reconnecting', error);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.listener = client;
  }

  private scheduleReconnect(lost: pg.Client): void {
    if (this.closed || this.listener !== lost || this.reconnectTimer) return;
    this.listener = undefined;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen().catch((error: unknown) => {
        this.log('Could not reconnect the event listener', error);
        if (!this.closed) this.scheduleReconnect(lost);
      });
    }, 500);
  }

  /**
   * Publishes through a queue: while one NOTIFY is on its way, the events published meanwhile
   * gather and go together in the next, as a JSON array of as many envelopes as one payload holds.
   * A burst (a batch of messages marked SENT, one event each) costs a few statements, not one an
   * event, and every process still sees the events in the order they were published.
   */
  publish(topic: string, message: unknown): Promise<void> {
    const text = envelope(topic, message);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      // As many envelopes as one payload holds: the brackets, and a comma between two envelopes.
      let count = 0;
      let bytes = 2;
      while (count < this.pending.length) {
        const size = Buffer.byteLength((this.pending[count] as PendingEvent).text) + (count > 0 ? 1 : 0);
        if (count > 0 && bytes + size > MAX_PAYLOAD_BYTES) break;
        bytes += size;
        count += 1;
      }
      // Taken in one splice: shifting a long queue one event at a time would move it over and over.
      const batch = this.pending.splice(0, count);
      try {
        await this.publisher.query('select pg_notify($1, $2)', [CHANNEL, `[${batch.map((event) => event.text).join(',')}]`]);
        for (const event of batch) event.resolve();
      } catch (error) {
        for (const event of batch) event.reject(error);
      }
    }
    this.flushing = false;
  }

  subscribe(topic: string, listener: (message: unknown) => void): () => void {
    return this.listeners.add(topic, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
    await this.publisher.end();
  }
}

/** Redis pub/sub, when REDIS_URL is set: a publishing and a subscribed connection per process (ioredis reconnects them). */
export class RedisEventBus implements EventBus {
  private readonly listeners = new Listeners();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async connect(url: string, log: (message: string, error?: unknown) => void): Promise<RedisEventBus> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    const bus = new RedisEventBus(publisher, subscriber);
    for (const connection of [publisher, subscriber]) connection.on('error', (error: unknown) => log('Redis event bus connection failed', error));
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === CHANNEL) bus.listeners.dispatch(raw, log);
    });
    await publisher.connect();
    await subscriber.connect();
    await subscriber.subscribe(CHANNEL);
    return bus;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    await this.publisher.publish(CHANNEL, envelope(topic, message));
  }

  subscribe(topic: string, listener: (message: unknown) => void): () => void {
    return this.listeners.add(topic, listener);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => undefined);
  }
}

/** Redis when a URL is given, PostgreSQL LISTEN/NOTIFY otherwise. */
export function connectEventBus(options: { databaseUrl: string; redisUrl?: string; log: (message: string, error?: unknown) => void }): Promise<EventBus> {
  return options.redisUrl ? RedisEventBus.connect(options.redisUrl, options.log) : PgEventBus.connect(options.databaseUrl, options.log);
}
