import { type Clause, clausesOf, normalizeLine, type PhraseSet, wordsOf } from './reply-words.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * What a participant asks for besides answering: a pause, to resume, to leave the program
 * (exit), a new partner (rematch) or no more email (unsubscribe), in the ten languages (the
 * words are in `words/`). A clause is a command when it is the command's words with at most a
 * polite lead-in ("could we", "ich möchte"), whom and what for ("me", "from the programme"),
 * how long ("until March") and thanks; a few unmistakable phrases ("take me off this list",
 * "someone else") count anywhere in a clause. A negation before the words ("I don't want to
 * quit") undoes them, and doubt ("not sure whether I should pause") leaves the intent to the
 * organizers: Tandem never pauses, removes or stops mailing someone on a guess.
 */

export const intents = ['continue', 'pause', 'resume', 'exit', 'rematch', 'unsubscribe'] as const;
export type Intent = (typeof intents)[number];
export type Command = Exclude<Intent, 'continue'>;

/** When a reply holds several commands, the strongest wins: leaving all mail beats leaving the program. */
const strength: readonly Command[] = ['unsubscribe', 'exit', 'rematch', 'pause', 'resume'];

const words = vocabulary.intents;

/** A command is a short line: a longer one is never read, which keeps reading linear and fast. */
const maxCommandChars = 300;

type Found = { command: Command; at: number; length: number; strong: boolean };

/** Phrases of more than one word in these sets say what they mean wherever they stand. */
const strongSets: readonly [Command, PhraseSet][] = [
  ['unsubscribe', words.unsubscribe],
  ['rematch', words.rematch],
  ['resume', words.back],
];
const commandSets: readonly [Command | 'stop', PhraseSet][] = [
  ['unsubscribe', words.unsubscribe],
  ['exit', words.exit],
  ['rematch', words.rematch],
  ['pause', words.pause],
  ['resume', words.resume],
  ['resume', words.back],
  ['stop', words.stop],
];

/** "A different mentor", "eine andere Mentorin", "un'altra mentore": asking for another partner. */
function newPartnerAt(clause: readonly string[], at: number): number {
  const adjective = words.rematchAdjectives.matchAt(clause, at);
  if (adjective === 0) return 0;
  for (let next = at + adjective; next <= at + adjective + 1 && next < clause.length; next++) {
    const noun = words.partnerNouns.matchAt(clause, next);
    if (noun > 0) return next + noun - at;
  }
  return 0;
}

/** The command words in a clause: the longest phrase at the first position where one starts. */
function commandWordsIn(clause: readonly string[], from: number): (Found & { stop: boolean }) | null {
  for (let at = from; at < clause.length; at++) {
    const partner = newPartnerAt(clause, at);
    let best: (Found & { stop: boolean }) | null = partner
      ? { command: 'rematch', at, length: partner, strong: true, stop: false }
      : null;
    for (const [command, set] of commandSets) {
      const length = set.matchAt(clause, at);
      if (length > (best?.length ?? 0)) {
        const strong = length > 1 && strongSets.some(([, strongSet]) => strongSet === set);
        best =
          command === 'stop'
            ? { command: 'unsubscribe', at, length, strong: false, stop: true }
            : { command, at, length, strong, stop: false };
      }
    }
    if (best) return best;
  }
  return null;
}

/** Past lead-ins and fillers: "hi", "sorry", "could we", "I'd like to", "please" (the longest first). */
function leadEnd(clause: readonly string[]): number {
  let at = 0;
  for (;;) {
    const length = Math.max(words.leadIns.matchAt(clause, at), words.fillers.matchAt(clause, at));
    if (length === 0) return at;
    at += length;
  }
}

/** Words that may stand around a command: whom, from what, for how long, thanks. */
function onlyAllowed(part: readonly string[]): boolean {
  for (let at = 0; at < part.length; ) {
    const until = words.until.matchAt(part, at);
    if (until > 0) return part.length - at - until <= 5;
    const length = Math.max(
      words.allowed.matchAt(part, at),
      words.leadIns.matchAt(part, at),
      words.fillers.matchAt(part, at),
      words.mailNouns.matchAt(part, at),
      words.programNouns.matchAt(part, at),
    );
    if (length > 0) at += length;
    else if (/^\d+$/.test(part[at] ?? '') || isProgramWord(part[at] ?? '')) at++;
    else return false;
  }
  return true;
}

/** Compounds such as "Mentoring-Programm", "mentorprogrammet": a word about the program. */
const isProgramWord = (word: string) => /program|mentor/.test(word);

/** What "stop", "remove me" or "leave" is about: the mail, the program, or something else. */
function stoppedThing(rest: readonly string[]): 'mail' | 'program' | 'nothing' | 'other' {
  if (rest.length === 0) return 'nothing';
  if (words.mailNouns.has(rest)) return 'mail';
  if (words.programNouns.has(rest) || rest.some(isProgramWord)) return 'program';
  return 'other';
}

export interface ClauseCommand {
  command: Command;
  /** Said with doubt ("maybe", "not sure whether"): not to be acted on. */
  doubtful: boolean;
}

/** "Keine weiteren Mails", "ikke flere e-poster", "no more emails": a negation, "more", and mail. */
const refusesMoreMail = (clause: readonly string[]) =>
  (words.mailNouns.has(clause) || words.partialMail.has(clause)) &&
  words.more.has(clause) &&
  words.negations.has(clause);

/** The command a clause gives, or null; negated commands ("no need to pause") are none. */
function commandInClause(clause: readonly string[]): ClauseCommand | null {
  const start = leadEnd(clause);
  if (refusesMoreMail(clause)) return { command: 'unsubscribe', doubtful: words.hedges.has(clause) };
  const found = commandWordsIn(clause, 0);
  if (!found) return null;
  const before = clause.slice(0, found.at);
  const after = clause.slice(found.at + found.length);
  const thing = stoppedThing(after.filter((word) => !words.allowed.words.has(word) || isMailOrProgram(word)));
  // Doubt about pausing or leaving ("not sure whether I should pause", "vielleicht eine Pause"):
  // not to be acted on, whatever stands around it; leaving one's company is no doubt about Tandem.
  if (!found.stop && found.command !== 'resume' && words.hedges.has(clause)) {
    if (found.command === 'exit' && thing === 'other') return null;
    return { command: found.command, doubtful: true };
  }
  if (words.negations.has(before)) return null;
  // "Stop the reminders": some of the mail, not all of it, and not the program: for the organizers.
  if (found.stop && words.partialMail.has(after)) return { command: 'unsubscribe', doubtful: true };

  let command: Command = found.command;
  if (found.stop || found.command === 'exit') {
    const thing = stoppedThing(
      after.filter((word) => !words.allowed.words.has(word) || isMailOrProgram(word)),
    );
    if (thing === 'mail') command = 'unsubscribe';
    else if (thing === 'program') command = 'exit';
    else if (thing === 'nothing') command = found.stop ? 'unsubscribe' : 'exit';
    else return null;
  }
  if (!found.strong) {
    // The words may overlap the lead-in ("need a break"), or follow it, with whom and what between.
    const lead = clause.slice(Math.min(start, found.at), found.at);
    if (!onlyAllowed(lead) || !onlyAllowed(after)) return null;
  }
  return { command, doubtful: false };
}

const isMailOrProgram = (word: string) =>
  words.mailNouns.words.has(word) || words.programNouns.words.has(word) || isProgramWord(word);

/** The check-in's own words for the commands: a line naming three of them lists them. */
const commandNames = new Set(['pause', 'exit', 'rematch', 'unsubscribe', 'resume']);
const namesCommands = (clauses: readonly Clause[]) =>
  new Set(clauses.flatMap((clause) => clause.words.filter((word) => commandNames.has(word)))).size >= 3;

/** The clauses of a line that give commands, and whether the line only doubts ("is this right for me?"). */
export function commandsInLine(line: string): { commands: ClauseCommand[]; clauses: number; doubt: boolean } {
  if (line.length > maxCommandChars) return { commands: [], clauses: 0, doubt: false };
  // A colon does not end a command's clause: "Exit: the program was great" is no command.
  const clauses: Clause[] = clausesOf(line.replaceAll(':', ' '), null);
  let courtesies = 0;
  const commands = clauses.flatMap((clause) => {
    const command = commandInClause(clause.words);
    if (!command && onlyAllowed(clause.words) && clause.words.length <= 3) courtesies++;
    return command ? [command] : [];
  });
  // A line that lists the commands ("pause, exit, rematch, unsubscribe"), as the check-in does,
  // mentions them.
  if (namesCommands(clauses)) return { commands: [], clauses: clauses.length, doubt: false };
  // "Avregistrera mig, tack": thanks and please around a command leave it a command of its own.
  return { commands, clauses: clauses.length - courtesies, doubt: words.doubts.has(wordsOf(line)) };
}

/** The intent a whole line commands ("Please pause me for a month"), or null. */
export function commandOf(line: string): Command | null {
  const { commands, clauses } = commandsInLine(line);
  const [only] = commands;
  return only && !only.doubtful && clauses === 1 ? only.command : null;
}

/**
 * The command in a line: the whole line ("Please pause me for a month"), or one of its clauses
 * with a reason around it ("Pause for now, back in June"). `whole` is false when the line
 * says more than the command, which then belongs in the note; `doubtful` when it is said
 * with doubt.
 */
export function commandIn(line: string): { command: Command; whole: boolean; doubtful: boolean } | null {
  const { commands, clauses } = commandsInLine(line);
  const sure = commands.filter((each) => !each.doubtful);
  const chosen = strongestCommand(sure.map((each) => each.command));
  if (chosen) return { command: chosen, whole: clauses === 1, doubtful: false };
  const doubted = strongestCommand(commands.map((each) => each.command));
  return doubted ? { command: doubted, whole: false, doubtful: true } : null;
}

/** Whether a line doubts taking part ("not sure this programme is right for me"). */
export const doubtsParticipation = (line: string) => commandsInLine(line).doubt;

/** The strongest of several commands. */
export function strongestCommand(commands: readonly Command[]): Command | null {
  return strength.find((intent) => commands.includes(intent)) ?? null;
}

const subjectPrefixes = new Set([
  're',
  'aw',
  'sv',
  'vs',
  'antw',
  'ant',
  'r',
  'rif',
  'res',
  'wg',
  'fw',
  'fwd',
  'tr',
  'enc',
  'doorst',
]);

/**
 * A subject without its reply and forward prefixes ("Re: AW: Fwd[2]:"), in the languages mail
 * clients use. Read prefix by prefix, so a long subject costs one pass.
 */
export function subjectWithoutPrefixes(subject: string): string {
  let rest = subject;
  for (;;) {
    const colon = rest.indexOf(':');
    if (colon < 0 || colon > 12) return rest;
    const prefix = normalizeLine(rest.slice(0, colon))
      .replace(/\[\d{1,3}\]$/, '')
      .trim();
    if (!subjectPrefixes.has(prefix)) return rest;
    rest = rest.slice(colon + 1);
  }
}
