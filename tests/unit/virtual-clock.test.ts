import { describe, expect, it } from 'vitest';
import { followVirtualTime, onRealTime, VirtualClock } from '../../local/virtual-clock.ts';

const start = new Date('2027-01-04T07:00:00Z');
const second = 1000;

/**
 * Real time as the test says it passes: the pace is asserted exactly, whatever the machine's
 * load (a real sleep of 120 ms can take 300 on a busy machine, and a bound on it is flaky).
 */
function realTime() {
  let now = 1_000_000;
  return {
    now: () => now,
    /** The work of a local run taking this much real time. */
    work: (ms: number) => {
      now += ms;
    },
  };
}

describe('the virtual clock’s pace', () => {
  it('paces a jump by its speed: 1,000 virtual seconds per real second', () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1000, realNow: real.now });
    expect(clock.realMsUntil(start.getTime() + 200 * second)).toBe(200);
    real.work(50);
    expect(clock.realMsUntil(start.getTime() + 200 * second)).toBe(150);
  });

  it('does not wait again for real time the work already took', () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1000, realNow: real.now });
    real.work(120);
    // 100 virtual seconds are due 100 ms after the start: the work took longer.
    expect(clock.realMsUntil(start.getTime() + 100 * second)).toBe(0);
    // 300 are due at 300 ms: 180 ms are left, not 300.
    expect(clock.realMsUntil(start.getTime() + 300 * second)).toBe(180);
  });

  it('runs at real speed between jumps, and a jump never waits', () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1000, realNow: real.now });
    real.work(2_000);
    expect(clock.now()).toBe(start.getTime() + 2_000);
    clock.jumpTo(start.getTime() + 3600 * second);
    expect(clock.now()).toBe(start.getTime() + 3600 * second);
    // Never back.
    clock.jumpTo(start.getTime());
    expect(clock.now()).toBe(start.getTime() + 3600 * second);
  });

  it('starts the pace again where a scenario sets the time', () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1000, realNow: real.now });
    real.work(120);
    const later = new Date('2027-03-01T07:00:00Z');
    clock.setTo(later);
    expect(clock.now()).toBe(later.getTime());
    expect(clock.realMsUntil(later.getTime() + 100 * second)).toBe(100);
  });
});

describe('following the virtual clock from another thread’s Date', () => {
  it('tells the clock’s time, jumps and resets included, through the memory it shares', () => {
    const clock = new VirtualClock({ start, speed: 1000 });
    const restore = followVirtualTime(clock.shared);
    try {
      expect(Math.abs(Date.now() - start.getTime())).toBeLessThan(1000);
      const nextWeek = start.getTime() + 7 * 24 * 3600 * second;
      clock.jumpTo(nextWeek);
      // `new Date()` too, not only `Date.now()`: to the minute.
      expect(new Date().toISOString().slice(0, 16)).toBe(new Date(nextWeek).toISOString().slice(0, 16));
      clock.setTo(start);
      expect(Math.abs(Date.now() - start.getTime())).toBeLessThan(1000);
    } finally {
      restore();
    }
    expect(Math.abs(Date.now() - start.getTime())).toBeGreaterThan(1000);
  });
});

describe('the flowing clock of the dev stack', () => {
  it('runs at its speed: an hour each second', () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 3600, flowing: true, realNow: real.now });
    real.work(100);
    // 100 ms of real time are 6 virtual minutes.
    expect(clock.now()).toBe(start.getTime() + 360 * second);
    expect(clock.realMsUntil(clock.now() + 3600 * second)).toBe(1000);
  });

  it('wakes a wait at once when time is moved past its end, and not before', async () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1, flowing: true, realNow: real.now });
    const inAWeek = start.getTime() + 7 * 24 * 3600 * second;
    let woke = false;
    const waiting = clock.reach(inAWeek).then(() => {
      woke = true;
    });
    clock.jumpTo(start.getTime() + 24 * 3600 * second);
    // The wait looks again, and goes on waiting.
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    clock.jumpTo(inAWeek + second);
    await waiting;
    expect(woke).toBe(true);
    expect(clock.now()).toBe(inAWeek + second);
  });

  it('gives up waiting when the execution is stopped, leaving time where it is', async () => {
    const real = realTime();
    const clock = new VirtualClock({ start, speed: 1, flowing: true, realNow: real.now });
    const stop = new AbortController();
    const waiting = clock.reach(start.getTime() + 30 * 24 * 3600 * second, stop.signal);
    stop.abort();
    await waiting;
    expect(clock.now()).toBe(start.getTime());
  });

  it('is followed by another thread’s Date at its speed', async () => {
    // The other thread reads the system's real time: this one lets some really pass.
    const clock = new VirtualClock({ start, speed: 3600, flowing: true });
    const restore = followVirtualTime(clock.shared);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      // About 50 ms of real time passed: about 3 virtual minutes, the same on both sides.
      expect(Math.abs(Date.now() - clock.now())).toBeLessThan(60 * second);
      expect(Date.now() - start.getTime()).toBeGreaterThan(60 * second);
    } finally {
      restore();
    }
  });
});

describe('real time for sign-in, while a virtual clock is installed', () => {
  it('tells the real time to code run through onRealTime, across its awaits, and virtual time elsewhere', async () => {
    const clock = new VirtualClock({ start, speed: 1, flowing: true });
    const restore = clock.install();
    try {
      clock.jumpTo(start.getTime() + 90 * 24 * 3600 * second);
      const inside = await onRealTime(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return { now: Date.now(), date: Date.parse(new Date().toISOString()) };
      });
      const outside = Date.now();
      const real = performance.timeOrigin + performance.now();
      expect(Math.abs(inside.now - real)).toBeLessThan(60 * second);
      expect(Math.abs(inside.date - real)).toBeLessThan(60 * second);
      expect(Math.abs(outside - clock.now())).toBeLessThan(60 * second);
      expect(outside - start.getTime()).toBeGreaterThanOrEqual(90 * 24 * 3600 * second);
    } finally {
      restore();
    }
  });
});
