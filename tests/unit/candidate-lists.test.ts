import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryList } from '../../shared/matching/candidate-lists.ts';
import { entryBase } from '../../shared/matching/row-scans.ts';

/** What a list is asked to do, step by step: push an entry, or keep only the entries of even mentors. */
const steps = (mentors: number) =>
  fc.array(
    fc.oneof(
      fc
        .record({
          mentor: fc.integer({ min: 0, max: mentors - 1 }),
          score: fc.integer({ min: 0, max: 1000 }),
        })
        .map(({ mentor, score }) => ({ push: mentor * entryBase + score })),
      fc.constant({ keepEven: true as const }),
    ),
    { maxLength: 80 },
  );

const evenMentor = (entry: number) => Math.floor(entry / entryBase) % 2 === 0;

describe('a candidate list', () => {
  for (const mentors of [10_000, 70_003]) {
    it(`holds what a plain array would, through pushes past its room, cuts and copies (${mentors} mentors)`, () => {
      fc.assert(
        fc.property(steps(mentors), fc.integer({ min: 0, max: 5 }), (script, room) => {
          const list = entryList(mentors, room);
          let model: number[] = [];
          for (const step of script) {
            if ('push' in step) {
              list.push(step.push);
              model.push(step.push);
            } else {
              list.keepOnly(evenMentor);
              model = model.filter(evenMentor);
            }
            expect(list.toArray()).toEqual(model);
          }
          const copy = list.copy();
          expect(copy.toArray()).toEqual(model);
          expect(copy.items.length).toBe(model.length);
          // The copy is its own: writing to it leaves the list as it was.
          if (model.length > 0) {
            copy.items[0] = 3 * entryBase + 1;
            expect(list.toArray()).toEqual(model);
          }
        }),
      );
    });
  }

  it('keeps mentors past 16 bits whole (64-bit entries), which 32 bits would cut', () => {
    const list = entryList(70_003, 1);
    list.push(70_002 * entryBase + 999);
    expect(list.toArray()).toEqual([70_002 * entryBase + 999]);
    expect(list.items).toBeInstanceOf(Float64Array);
    expect(entryList(65_535).items).toBeInstanceOf(Uint32Array);
  });
});
