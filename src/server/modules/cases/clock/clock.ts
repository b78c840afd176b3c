/**
 * "Now" for the cases module, injectable so tests and the demo generator control time. The
 * platform clock (platform/clock.ts) counts epoch ms; `clockFrom` adapts it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

function instant(t: Date | number | string): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(t)}`);
  return ms;
}

/** Always the same instant. */
export function fixedClock(t: Date | number | string): Clock {
  const ms = instant(t);
  return { now: () => new Date(ms) };
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(t: Date | number | string) {
    this.ms = instant(t);
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(t: Date | number | string): void {
    this.ms = instant(t);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function manualClock(t: Date | number | string): ManualClock {
  return new ManualClock(t);
}

export function clockFrom(platform: { now(): number }): Clock {
  return { now: () => new Date(platform.now()) };
}
