/** The real `Date`, captured before any clock is installed. */
const RealDate = Date;

/**
 * Virtual time for local runs of a cohort: months in seconds. Installed, it stands in for
 * `Date` in this process, so every clock agrees on "now" — the use cases' clock, Luxon, the
 * Step Functions interpreter and the SES inbox's timestamps. It runs at real speed and jumps
 * forward when the local workflow runner passes a Wait; `speed` says how much real time a
 * jump takes (virtual seconds per real second), so a run can be watched.
 */
export class VirtualClock {
  readonly speed: number;
  #offset: number;

  constructor(options: { start: Date; speed: number }) {
    this.speed = options.speed;
    this.#offset = options.start.getTime() - RealDate.now();
  }

  now(): number {
    return RealDate.now() + this.#offset;
  }

  /** Moves time forward to `target` (never back). */
  jumpTo(target: number): void {
    const now = this.now();
    if (target > now) this.#offset += target - now;
  }

  /** Sets the time outright, even backwards: between independent scenarios only (tests). */
  setTo(time: Date): void {
    this.#offset = time.getTime() - RealDate.now();
  }

  /** Real milliseconds a jump to `target` is paced over. */
  realMsUntil(target: number): number {
    return Math.max(0, (target - this.now()) / this.speed);
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
