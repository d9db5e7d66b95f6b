import { describe, expect, it } from 'vitest';
import { followVirtualTime, VirtualClock } from '../../local/virtual-clock.ts';

const start = new Date('2027-01-04T07:00:00Z');
const second = 1000;

/** Real time passing, as the work of a local run takes it. */
const work = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the virtual clock’s pace', () => {
  it('paces a jump by its speed: 1,000 virtual seconds per real second', () => {
    const clock = new VirtualClock({ start, speed: 1000 });
    const wait = clock.realMsUntil(start.getTime() + 200 * second);
    expect(wait).toBeGreaterThan(150);
    expect(wait).toBeLessThanOrEqual(200);
  });

  it('does not wait again for real time the work already took', async () => {
    const clock = new VirtualClock({ start, speed: 1000 });
    await work(120);
    // 100 virtual seconds are due 100 ms after the start: the work took longer.
    expect(clock.realMsUntil(start.getTime() + 100 * second)).toBe(0);
    // 300 are due at 300 ms: about 180 ms are left, not 300.
    const wait = clock.realMsUntil(start.getTime() + 300 * second);
    expect(wait).toBeGreaterThan(100);
    expect(wait).toBeLessThanOrEqual(180);
  });

  it('starts the pace again where a scenario sets the time', async () => {
    const clock = new VirtualClock({ start, speed: 1000 });
    await work(120);
    const later = new Date('2027-03-01T07:00:00Z');
    clock.setTo(later);
    expect(clock.realMsUntil(later.getTime() + 100 * second)).toBeGreaterThan(50);
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
  it('runs at its speed: an hour each second', async () => {
    const clock = new VirtualClock({ start, speed: 3600, flowing: true });
    await work(100);
    const elapsed = clock.now() - start.getTime();
    // 100 ms of real time are 6 virtual minutes (give or take a slow machine's timer).
    expect(elapsed).toBeGreaterThanOrEqual(360 * second * 0.9);
    expect(elapsed).toBeLessThan(3600 * second);
    expect(clock.realMsUntil(clock.now() + 3600 * second)).toBeCloseTo(1000, -2);
  });

  it('wakes a wait at once when time is moved past its end, and not before', async () => {
    const clock = new VirtualClock({ start, speed: 1, flowing: true });
    const inAWeek = start.getTime() + 7 * 24 * 3600 * second;
    let woke = false;
    const waiting = clock.reach(inAWeek).then(() => {
      woke = true;
    });
    clock.jumpTo(start.getTime() + 24 * 3600 * second);
    await work(20);
    expect(woke).toBe(false);
    clock.jumpTo(inAWeek + second);
    await waiting;
    expect(woke).toBe(true);
    expect(clock.now()).toBeGreaterThan(inAWeek);
  });

  it('gives up waiting when the execution is stopped, leaving time where it is', async () => {
    const clock = new VirtualClock({ start, speed: 1, flowing: true });
    const stop = new AbortController();
    const waiting = clock.reach(start.getTime() + 30 * 24 * 3600 * second, stop.signal);
    stop.abort();
    await waiting;
    expect(clock.now() - start.getTime()).toBeLessThan(60 * second);
  });

  it('is followed by another thread’s Date at its speed', async () => {
    const clock = new VirtualClock({ start, speed: 3600, flowing: true });
    const restore = followVirtualTime(clock.shared);
    try {
      await work(50);
      expect(Math.abs(Date.now() - clock.now())).toBeLessThan(60 * second);
      expect(Date.now() - start.getTime()).toBeGreaterThan(60 * second);
    } finally {
      restore();
    }
  });
});
