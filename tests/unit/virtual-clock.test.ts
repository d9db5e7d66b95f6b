import { describe, expect, it } from 'vitest';
import { followVirtualTime, VirtualClock } from '../../local/virtual-clock.ts';

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
