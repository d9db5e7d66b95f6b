import { describe, expect, it } from 'vitest';
import { readOrganizerCommands } from '../../shared/inbound/organizer-commands.ts';

describe('organizer commands in a reply to the digest', () => {
  it('reads one command a line, in order, whatever the case, a # or a full stop', () => {
    expect(readOrganizerCommands('close 3\nRematch #2.\n\n  nudge 1  \nApprove').commands).toEqual([
      { verb: 'close', item: 3, line: 'close 3' },
      { verb: 'rematch', item: 2, line: 'Rematch #2.' },
      { verb: 'nudge', item: 1, line: 'nudge 1' },
      { verb: 'approve', line: 'Approve' },
    ]);
  });

  it('lists what it did not understand, and skips quoted lines', () => {
    const read = readOrganizerCommands(
      'close three\nplease close 4 and 5\nnudge 0\napprove 2\nclose 1\n> close 9',
    );
    expect(read.commands).toEqual([{ verb: 'close', item: 1, line: 'close 1' }]);
    expect(read.notUnderstood).toEqual(['close three', 'please close 4 and 5', 'nudge 0', 'approve 2']);
  });

  it('reads at most 50 lines, and shortens a long one it did not understand', () => {
    const read = readOrganizerCommands(`${'x'.repeat(200)}\n${'nudge 1\n'.repeat(80)}`);
    expect(read.commands).toHaveLength(49);
    expect(read.notUnderstood).toEqual([`${'x'.repeat(77)}…`]);
  });
});
