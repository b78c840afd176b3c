import pg from 'pg';

/** The messages (statement texts) sent to PostgreSQL by every client of this process while `work` runs. */
export async function messagesDuring<T>(work: (texts: string[]) => Promise<T>): Promise<{ value: T; texts: string[] }> {
  const texts: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    texts.push(typeof first === 'string' ? first : String((first as { text?: string }).text ?? first));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    return { value: await work(texts), texts };
  } finally {
    pg.Client.prototype.query = original;
  }
}
