import { AsyncLocalStorage } from 'node:async_hooks';

/** The real `Date`, captured before any clock is installed. */
const RealDate = Date;

/** Set while code runs on real time (`onRealTime`), whatever clock is installed. */
const realTimeScope = new AsyncLocalStorage<true>();

/**
 * Runs `work`, and everything it starts, on real time while a virtual clock is installed:
 * sign-in (the local OpenID provider and the API's token check) lives in people's time, as
 * Cognito and API Gateway do, so a token stays good for its hour however far the dev clock
 * is moved, and a CLI that checks expiry on real time agrees with the API.
 */
export function onRealTime<T>(work: () => T): T {
  return realTimeScope.run(true, work);
}

/** setTimeout's longest delay (about 24.8 days); longer sleeps are taken in turns. */
const maxSleepMs = 2 ** 31 - 1;

/**
 * Virtual time for local runs of a cohort. Installed, it stands in for `Date` in this process,
 * so every clock agrees on "now" — the use cases' clock, Luxon, the Step Functions interpreter
 * and the SES inbox's timestamps (in its own thread, through `followVirtualTime`). Two ways:
 * - paced (a simulation, `tandem simulate`): time runs at real speed and jumps forward when the
 *   local workflow runner passes a Wait; `speed` (virtual seconds per real second) paces the
 *   jumps so a run can be watched. The pace counts from the start: real time the work itself
 *   took is not waited again, so a run is as long as its work or its pace, whichever is longer;
 * - flowing (the dev stack, `tandem dev --speed X`): time runs at `speed` times real time, and a
 *   person moves it forward by hand (`tandem clock advance 2w`); a Wait ends when the time it
 *   waits for comes, whichever way it came.
 */
export class VirtualClock {
  readonly speed: number;
  readonly flowing: boolean;
  /**
   * Shared with other threads: the virtual time at the anchor (changed atomically by jumps),
   * then the real anchor and the rate (written once, before anyone follows the clock).
   */
  readonly #memory = new SharedArrayBuffer(3 * 8);
  readonly #base = new BigInt64Array(this.#memory, 0, 1);
  readonly #anchor = new Float64Array(this.#memory, 8, 2);
  /** Where the pace starts: a real instant and the virtual time then. */
  #pace: { real: number; virtual: number };
  readonly #onJump = new Set<() => void>();
  /** Real time: the system's, or a test's own (so a test asserts what the pace does, not how fast a machine is). */
  readonly #realNow: () => number;

  constructor(options: { start: Date; speed: number; flowing?: boolean; realNow?: () => number }) {
    this.speed = options.speed;
    this.flowing = options.flowing ?? false;
    this.#realNow = options.realNow ?? (() => RealDate.now());
    const real = this.#realNow();
    this.#anchor.set([real, this.flowing ? this.speed : 1]);
    this.#pace = { real, virtual: options.start.getTime() };
    Atomics.store(this.#base, 0, BigInt(options.start.getTime()));
  }

  now(): number {
    return timeOf(this.#base, this.#anchor, this.#realNow());
  }

  /** This clock's time for another thread: `followVirtualTime(shared)` there. */
  get shared(): SharedArrayBuffer {
    return this.#memory;
  }

  /** Moves time forward to `target` (never back); a flowing clock's sleepers look again. */
  jumpTo(target: number): void {
    const now = this.now();
    if (target <= now) return;
    this.#setBase(this.#baseValue() + target - now);
    for (const listener of this.#onJump) listener();
  }

  /** Sets the time outright, even backwards: between independent scenarios only (tests). */
  setTo(time: Date): void {
    this.#pace = { real: this.#realNow(), virtual: time.getTime() };
    this.#setBase(this.#baseValue() + time.getTime() - this.now());
  }

  /** Real milliseconds to wait before time may reach `target` (at the pace, or as time flows). */
  realMsUntil(target: number): number {
    if (this.flowing) return Math.max(0, (target - this.now()) / this.speed);
    const due = this.#pace.real + (target - this.#pace.virtual) / this.speed;
    return Math.max(0, due - this.#realNow());
  }

  /**
   * Waits until time may reach `target`, then moves it there: at the pace (paced), or until it
   * flows there or is moved past it by hand (flowing). Returns early, not moving time, once
   * `signal` aborts.
   */
  async reach(target: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.realMsUntil(target);
      if (wait <= 0 || signal?.aborted) break;
      await this.#sleep(Math.min(wait, maxSleepMs), signal);
    }
    if (!signal?.aborted) this.jumpTo(target);
  }

  /** Makes `Date` in this process tell virtual time; returns the function that undoes it. */
  install(): () => void {
    return installDate(() => this.now());
  }

  /** Sleeps `ms`, or less: until the signal aborts or (a flowing clock) time is moved by hand. */
  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#onJump.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      if (this.flowing) this.#onJump.add(done);
    });
  }

  #baseValue(): number {
    return Number(Atomics.load(this.#base, 0));
  }

  #setBase(ms: number): void {
    Atomics.store(this.#base, 0, BigInt(Math.round(ms)));
  }
}

/**
 * In another thread (a local engine's worker): makes `Date` there tell the time of the
 * `VirtualClock` whose `shared` memory this is, jumps included.
 */
export function followVirtualTime(shared: SharedArrayBuffer): () => void {
  const base = new BigInt64Array(shared, 0, 1);
  const anchor = new Float64Array(shared, 8, 2);
  return installDate(() => timeOf(base, anchor, RealDate.now()));
}

/** The virtual time at real time `realNow`: the base at the anchor, plus the real time since, at the clock's rate. */
function timeOf(base: BigInt64Array, anchor: Float64Array, realNow: number): number {
  const [real = 0, rate = 1] = anchor;
  return Number(Atomics.load(base, 0)) + (realNow - real) * rate;
}

/**
 * Makes `Date` in this thread tell the time `virtualNow` gives (the real time inside
 * `onRealTime`); returns the function that undoes it.
 */
function installDate(virtualNow: () => number): () => void {
  const now = () => (realTimeScope.getStore() ? RealDate.now() : virtualNow());
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
