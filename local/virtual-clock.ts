/** The real `Date`, captured before any clock is installed. */
const RealDate = Date;

/**
 * Virtual time for local runs of a cohort: months in seconds. Installed, it stands in for
 * `Date` in this process, so every clock agrees on "now" — the use cases' clock, Luxon, the
 * Step Functions interpreter and the SES inbox's timestamps (in its own thread, through
 * `followVirtualTime`). It runs at real speed and jumps forward when the local workflow runner
 * passes a Wait; `speed` (virtual seconds per real second) paces the jumps so a run can be
 * watched. The pace counts from the start: real time the work itself took is not waited again,
 * so a run is as long as its work or its pace, whichever is longer, not both.
 */
export class VirtualClock {
  readonly speed: number;
  /** Virtual minus real time in ms, in memory other threads can read. */
  readonly #offset = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT));
  /** Where the pace starts: a real instant and the virtual time then. */
  #pace: { real: number; virtual: number };
  /** Real time: the system's, or a test's own (so a test asserts what the pace does, not how fast a machine is). */
  readonly #realNow: () => number;

  constructor(options: { start: Date; speed: number; realNow?: () => number }) {
    this.speed = options.speed;
    this.#realNow = options.realNow ?? (() => RealDate.now());
    this.#pace = { real: this.#realNow(), virtual: options.start.getTime() };
    this.#setOffset(options.start.getTime() - this.#pace.real);
  }

  now(): number {
    return this.#realNow() + offsetOf(this.#offset);
  }

  /** This clock's time for another thread: `followVirtualTime(shared)` there. */
  get shared(): SharedArrayBuffer {
    return this.#offset.buffer as SharedArrayBuffer;
  }

  /** Moves time forward to `target` (never back). */
  jumpTo(target: number): void {
    const now = this.now();
    if (target > now) this.#setOffset(offsetOf(this.#offset) + target - now);
  }

  /** Sets the time outright, even backwards: between independent scenarios only (tests). */
  setTo(time: Date): void {
    this.#pace = { real: this.#realNow(), virtual: time.getTime() };
    this.#setOffset(time.getTime() - this.#pace.real);
  }

  /** Real milliseconds to wait before time may reach `target` at the pace. */
  realMsUntil(target: number): number {
    const due = this.#pace.real + (target - this.#pace.virtual) / this.speed;
    return Math.max(0, due - this.#realNow());
  }

  /** Makes `Date` in this process tell virtual time; returns the function that undoes it. */
  install(): () => void {
    return installDate(() => this.now());
  }

  #setOffset(ms: number): void {
    Atomics.store(this.#offset, 0, BigInt(Math.round(ms)));
  }
}

/**
 * In another thread (a local engine's worker): makes `Date` there tell the time of the
 * `VirtualClock` whose `shared` memory this is, jumps included.
 */
export function followVirtualTime(shared: SharedArrayBuffer): () => void {
  const offset = new BigInt64Array(shared);
  return installDate(() => RealDate.now() + offsetOf(offset));
}

function offsetOf(offset: BigInt64Array): number {
  return Number(Atomics.load(offset, 0));
}

/** Makes `Date` in this thread tell the time `now` gives; returns the function that undoes it. */
function installDate(now: () => number): () => void {
  const VirtualDate = new Proxy(RealDate, {
    construct: (target, args: unknown[]) =>
      args.length === 0 ? new target(now()) : Reflect.construct(target, args),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
  globalThis.Date = VirtualDate;
  return () => {
    globalThis.Date = RealDate;
  };
}
