import { trimPunctuation } from './reply-words.ts';

/** What an organizer can reply to a digest, one command a line: `close 3`, `rematch 2`, `nudge 1`, `approve`. */
export const organizerVerbs = ['close', 'rematch', 'nudge', 'approve'] as const;
export type OrganizerVerb = (typeof organizerVerbs)[number];

export type OrganizerCommand =
  | { verb: Exclude<OrganizerVerb, 'approve'>; item: number; line: string }
  | { verb: 'approve'; line: string };

/** A reply is read this far: a digest answer is a few lines, never a page. */
const maxLines = 50;

/**
 * The commands in an organizer's reply to a digest (its new text: no quoted history, no
 * signature), in order, and the lines that are not one. Each line is a command or not:
 * `close 3`, `Close #3.`, `nudge 1`, `approve`; a blank line or a quoted one (`>`) is skipped.
 * Linear in the text: a split, a trim and a word match per line.
 */
export function readOrganizerCommands(text: string): {
  commands: OrganizerCommand[];
  notUnderstood: string[];
} {
  const commands: OrganizerCommand[] = [];
  const notUnderstood: string[] = [];
  const lines = text.split('\n').map((line) => line.trim());
  for (const line of lines.filter((each) => each !== '' && !each.startsWith('>')).slice(0, maxLines)) {
    const command = commandOf(line);
    if (command) commands.push(command);
    else notUnderstood.push(line.length > 80 ? `${line.slice(0, 77)}…` : line);
  }
  return { commands, notUnderstood };
}

function commandOf(line: string): OrganizerCommand | undefined {
  const words = trimPunctuation(line).toLowerCase().split(/\s+/);
  const [verb, item, ...rest] = words;
  if (rest.length > 0 || !organizerVerbs.includes(verb as OrganizerVerb)) return undefined;
  if (verb === 'approve') return item === undefined ? { verb, line } : undefined;
  const number = Number((item ?? '').replace(/^#/, ''));
  if (!Number.isInteger(number) || number < 1 || number > 9999) return undefined;
  return { verb: verb as Exclude<OrganizerVerb, 'approve'>, item: number, line };
}
