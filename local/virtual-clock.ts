/** The real `Date`, captured before any clock is installed. */
const RealDate = Date;

/**
 * Virtual time for local runs of a cohort: months in seconds. Installed, it stands in for
 * `Date` in this process, so every clock agrees on "now" — the use cases' clock, Luxon, the
 * Step Functions interpreter and the SES inbox's timestamps. It runs at real speed and jumps
 * forward when the local workflow runner passes a Wait; `speed` (virtual seconds per real
 * second) paces the jumps so a run can be watched. The pace counts from the start: real time
 * the work itself took is not waited again, so a run is as long as its work or its pace,
 * whichever is longer, not both.
 */
export class VirtualClock {
  readonly speed: number;
  #offset: number;
  /** Where the pace starts: a real instant and the virtual time then. */
  #pace: { real: number; virtual: number };

  constructor(options: { start: Date; speed: number }) {
    this.speed = options.speed;
    this.#offset = options.start.getTime() - RealDate.now();
    this.#pace = { real: RealDate.now(), virtual: options.start.getTime() };
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
    this.#pace = { real: RealDate.now(), virtual: time.getTime() };
  }

  /** Real milliseconds to wait before time may reach `target` at the pace. */
  realMsUntil(target: number): number {
    const due = this.#pace.real + (target - this.#pace.virtual) / this.speed;
    return Math.max(0, due - RealDate.now());
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
