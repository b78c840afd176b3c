import pg from 'pg';

/**
 * PostgreSQL's LISTEN/NOTIFY between the nodes of one installation. Each node keeps one connection
 * of its own that listens on every channel asked for (the access epoch, live updates); it reconnects
 * by itself. While it is down `connected` is false, and whoever relies on it must do without: the
 * access epoch keeps nothing in memory, live updates reach only the pages open on this node.
 * A notice is delivered when the transaction that sent it commits, to every listener, the sender's
 * own connection included.
 */
export const RECONNECT_MS = 2_000;

export class PgNotices {
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly handlers = new Map<string, ((payload: string) => void)[]>();
  private readonly reconnected: (() => void)[] = [];

  constructor(private readonly url: string, private readonly onError: (err: Error) => void) {
    this.connect();
  }

  get connected(): boolean {
    return this.listening;
  }

  /** Calls `fn` with each notice's payload on `channel`. */
  listen(channel: string, fn: (payload: string) => void): void {
    const list = this.handlers.get(channel);
    if (list) {
      list.push(fn);
      return;
    }
    this.handlers.set(channel, [fn]);
    if (this.listening) this.client!.query(`listen ${channel}`).catch((err: Error) => this.lost(this.client!, err));
  }

  /** Calls `fn` each time the connection is (again) listening: notices sent meanwhile are lost. */
  onConnect(fn: () => void): void {
    this.reconnected.push(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    this.listening = false;
    await c?.end().catch(() => {});
  }

  private connect(): void {
    this.retry = null;
    const c = new pg.Client({ connectionString: this.url });
    this.client = c;
    c.on('notification', (n) => {
      for (const fn of this.handlers.get(n.channel) ?? []) fn(n.payload ?? '');
    });
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c));
    c.connect()
      .then(async () => {
        for (const channel of this.handlers.keys()) await c.query(`listen ${channel}`);
      })
      .then(() => {
        if (this.client !== c) return;
        this.listening = true;
        for (const fn of this.reconnected) fn();
      })
      .catch((err: Error) => this.lost(c, err));
  }

  private lost(c: pg.Client, err?: Error): void {
    if (this.client !== c) return;
    this.listening = false;
    this.client = null;
    c.end().catch(() => {});
    if (err) this.onError(err);
    if (!this.closed) this.retry = setTimeout(() => this.connect(), RECONNECT_MS).unref();
  }
}
