/**
 * Virtual time for local runs of a cohort: months in seconds. Installed, it stands in for
 * `Date` in this process, so every clock agrees on "now" — the use cases' clock, Luxon, the
 * Step Functions interpreter and the SES inbox's timestamps. Between waits, virtual time
 * runs at real speed; a wait for a later instant passes `speed` times faster than real time,
 * smoothly, so what is scheduled inside it (simulated replies) happens in order.
 */
/** The real `Date`, captured before any clock is installed. */
const RealDate = Date;

export class VirtualClock {
  readonly speed: number;
  #offset: number;
  #window: { realStart: number; virtualStart: number; virtualEnd: number } | undefined;

  constructor(options: { start: Date; speed: number }) {
    this.speed = options.speed;
    this.#offset = options.start.getTime() - this.#realNow();
  }

  #realNow(): number {
    return RealDate.now();
  }

  now(): number {
    const real = this.#realNow();
    const window = this.#window;
    if (window) {
      const virtual = window.virtualStart + (real - window.realStart) * this.speed;
      if (virtual < window.virtualEnd) return virtual;
      // The wait is over: from its end on, virtual time runs at real speed again.
      this.#offset =
        window.virtualEnd - (window.realStart + (window.virtualEnd - window.virtualStart) / this.speed);
      this.#window = undefined;
    }
    return real + this.#offset;
  }

  /**
   * Starts a wait until `target` (virtual epoch ms) and returns how long it lasts in real ms.
   * A target in the past lasts nothing.
   */
  beginWait(target: number): number {
    const now = this.now();
    if (target <= now) return 0;
    this.#window = { realStart: this.#realNow(), virtualStart: now, virtualEnd: target };
    return Math.ceil((target - now) / this.speed);
  }

  /** Waits until `target`, or until `signal` aborts (time then stays where it got to). */
  sleepUntil(target: number, signal?: AbortSignal): Promise<void> {
    const realMs = this.beginWait(target);
    return new Promise((resolve) => {
      const timer = setTimeout(done, realMs);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve();
      }
      const abort = () => {
        this.#stopWindow();
        done();
      };
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  #stopWindow(): void {
    const now = this.now();
    this.#window = undefined;
    this.#offset = now - this.#realNow();
  }

  /** Makes `Date` in this process tell virtual time; returns the function that undoes it. */
  install(): () => void {
    const now = () => this.now();
    const VirtualDate = new Proxy(RealDate, {
      construct: (target, args: unknown[]) =>
        args.length === 0 ? new target(now()) : Reflect.construct(target, args),
      apply: () => new RealDate(now()).toString(),
      get: (target, property, receiver) =>
        property === 'now' ? now : Reflect.get(target, property, receiver),
    });
    globalThis.Date = VirtualDate;
    return () => {
      globalThis.Date = RealDate;
    };
  }
}
