import { PhraseSet } from './reply-words.ts';
import cs from './words/cs.json' with { type: 'json' };
import da from './words/da.json' with { type: 'json' };
import de from './words/de.json' with { type: 'json' };
import en from './words/en.json' with { type: 'json' };
import es from './words/es.json' with { type: 'json' };
import fr from './words/fr.json' with { type: 'json' };
import it from './words/it.json' with { type: 'json' };
import nl from './words/nl.json' with { type: 'json' };
import no from './words/no.json' with { type: 'json' };
import pl from './words/pl.json' with { type: 'json' };
import pt from './words/pt.json' with { type: 'json' };
import sv from './words/sv.json' with { type: 'json' };
import tr from './words/tr.json' with { type: 'json' };

/**
 * The words Tandem reads replies by, in the ten languages participants write in: one data
 * file per language under `words/`, merged here into phrase sets that are matched token by
 * token (linear, no regex). A participant may mix languages in one reply, so every reader
 * knows every language's words.
 */
type Words = typeof en;
const languages: readonly Words[] = [en, de, fr, es, pt, it, nl, sv, no, da] as Words[];
/**
 * Languages whose mail clients frame quotes and signatures ("Orijinal Mesaj", "S pozdravem")
 * in replies Tandem receives, though participants answer in one of the ten.
 */
type Frame = Pick<Words, 'quote' | 'sentFrom' | 'closings' | 'formalClosings'>;
const frames: readonly Frame[] = [...languages, tr, cs, pl];

const all = (pick: (words: Words) => readonly string[] | undefined) =>
  new PhraseSet(languages.flatMap((words) => pick(words) ?? []));
const inFrames = (pick: (words: Frame) => readonly string[]) => new PhraseSet(frames.flatMap(pick));

const numberWords = new Map<string, number>(
  languages.flatMap((words) => Object.entries(words.rating.numbers as Record<string, number>)),
);

export const vocabulary = {
  yes: all((w) => w.yes),
  no: all((w) => w.no),
  clauseBreaks: all((w) => w.clauseBreaks),
  meeting: {
    met: all((w) => w.meeting.met),
    weak: all((w) => w.meeting.weak),
    subjects: all((w) => w.meeting.subjects),
    attempt: all((w) => w.meeting.attempt),
    negations: all((w) => w.meeting.negations),
    future: all((w) => w.meeting.future),
    cancelled: all((w) => w.meeting.cancelled),
    nouns: all((w) => w.meeting.nouns),
    activityVerbs: all((w) => w.meeting.activityVerbs),
    notObjects: all((w) => w.meeting.notObjects),
    transitive: all((w) => w.meeting.transitive),
    initialOnly: all((w) => w.meeting.initialOnly),
  },
  rating: {
    cues: all((w) => w.rating.cues),
    scale: all((w) => w.rating.scale),
    articles: all((w) => w.rating.articles),
    timeWords: all((w) => w.rating.timeWords),
    numbers: numberWords,
  },
  labels: {
    met: all((w) => w.labels.met),
    topics: all((w) => w.labels.topics),
    actionItems: all((w) => w.labels.actionItems),
    rating: all((w) => w.labels.rating),
    note: all((w) => w.labels.note),
  },
  greetings: all((w) => w.greetings),
  closings: inFrames((w) => w.closings),
  /** Closings that start a signature the client inserts ("Kind regards", "Mit freundlichen Grüßen"). */
  formalClosings: inFrames((w) => w.formalClosings),
  intents: {
    leadIns: all((w) => w.intents.leadIns),
    fillers: all((w) => w.intents.fillers),
    allowed: all((w) => w.intents.allowed),
    until: all((w) => w.intents.until),
    negations: all((w) => w.intents.negations),
    hedges: all((w) => w.intents.hedges),
    doubts: all((w) => w.intents.doubts),
    mailNouns: all((w) => w.intents.mailNouns),
    more: all((w) => w.intents.more),
    partialMail: all((w) => w.intents.partialMail),
    rematchAdjectives: all((w) => w.intents.rematchAdjectives),
    partnerNouns: all((w) => w.intents.partnerNouns),
    programNouns: all((w) => w.intents.programNouns),
    pause: all((w) => w.intents.pause),
    resume: all((w) => w.intents.resume),
    back: all((w) => w.intents.back),
    exit: all((w) => w.intents.exit),
    rematch: all((w) => w.intents.rematch),
    unsubscribe: all((w) => w.intents.unsubscribe),
    stop: all((w) => w.intents.stop),
  },
  outOfOffice: {
    start: all((w) => w.outOfOffice.start),
    anywhere: all((w) => w.outOfOffice.anywhere),
  },
  confirm: all((w) => w.confirm),
  pronouns: all((w) => w.pronouns),
  sentFrom: inFrames((w) => w.sentFrom),
  disclaimer: all((w) => w.disclaimer),
  quote: {
    separators: inFrames((w) => w.quote.separators),
    from: inFrames((w) => w.quote.from),
    date: inFrames((w) => w.quote.date),
    to: inFrames((w) => w.quote.to),
    intro: inFrames((w) => w.quote.intro),
  },
};
