import { normalizeLine, startsWithWords, trimPunctuation, wordCount, wordsPattern } from './reply-words.ts';

/**
 * The short words a check-in email offers ("pause", "exit", "rematch", "unsubscribe"), in the
 * languages participants write in. A word counts only when a line is a command: the intent,
 * maybe with a polite lead-in and an object such as "me" or "from the program", and nothing
 * else. "Please pause me for a month" is a command; "we paused the project" is not.
 */

export const intents = ['continue', 'pause', 'exit', 'rematch', 'unsubscribe'] as const;
export type Intent = (typeof intents)[number];
type Command = Exclude<Intent, 'continue'>;

/** When a reply holds several commands, the strongest wins: leaving all mail beats leaving the program. */
const strength: readonly Command[] = ['unsubscribe', 'exit', 'rematch', 'pause'];

const politeLeadIns = startsWithWords([
  // en
  'please',
  'pls',
  'plz',
  'kindly',
  "i'd like to",
  'i would like to',
  'i want to',
  'i wish to',
  'i need to',
  "we'd like to",
  'we would like to',
  'we want to',
  'we need to',
  "i'd like",
  'i would like',
  'i want',
  'i need',
  "we'd like",
  'we would like',
  'we want',
  'we need',
  'can you',
  'could you',
  'can we',
  'could we',
  'can i',
  'could i',
  "let's",
  'let us',
  'i request',
  'i ask for',
  // de
  'bitte',
  'ich möchte',
  'ich möchte gerne',
  'ich würde gerne',
  'ich will',
  'ich hätte gerne',
  'ich brauche',
  'wir möchten',
  'wir wollen',
  'wir würden gerne',
  'können wir',
  'könnt ihr',
  'können sie',
  // fr
  "s'il vous plaît",
  "s'il te plaît",
  'svp',
  'stp',
  'merci de',
  'je voudrais',
  'je veux',
  "j'aimerais",
  'je souhaite',
  'nous voudrions',
  'nous voulons',
  'on voudrait',
  'pouvez-vous',
  'pouvons-nous',
  'veuillez',
  // es
  'por favor',
  'quiero',
  'quisiera',
  'me gustaría',
  'queremos',
  'podemos',
  'necesito',
  // pt
  'quero',
  'gostaria de',
  'queremos',
  'preciso de',
  // it
  'per favore',
  'per piacere',
  'vorrei',
  'voglio',
  'vogliamo',
  'possiamo',
  'ho bisogno di',
  // nl
  'graag',
  'alstublieft',
  'alsjeblieft',
  'ik wil',
  'ik wil graag',
  'ik zou graag',
  'ik zou willen',
  'we willen',
  'wij willen',
  'kunnen we',
  // sv
  'snälla',
  'vänligen',
  'jag vill',
  'jag skulle vilja',
  'vi vill',
  'kan vi',
  // no
  'vær så snill',
  'vennligst',
  'jeg vil',
  'jeg vil gjerne',
  'jeg ønsker å',
  'vi vil',
  // da
  'venligst',
  'jeg vil gerne',
  'vi vil gerne',
  'jeg ønsker at',
]);

/** "A new mentor", "einen neuen Mentor", "un autre mentor", "en ny mentor": article, adjective, partner. */
const articles = wordsPattern([
  'a',
  'an',
  'ein',
  'eine',
  'einen',
  'un',
  'une',
  'una',
  'um',
  'uma',
  'een',
  'en',
  'et',
]);
const adjectives = wordsPattern([
  'new',
  'different',
  'another',
  'neue',
  'neuen',
  'neuer',
  'neues',
  'andere',
  'anderen',
  'anderer',
  'nouveau',
  'nouvelle',
  'autre',
  'nuevo',
  'nueva',
  'otro',
  'otra',
  'novo',
  'nova',
  'outro',
  'outra',
  'nuovo',
  'nuova',
  'altro',
  'altra',
  'nieuwe',
  'ny',
  'nytt',
  'annan',
  'anden',
  'andre',
]);
const partners = wordsPattern([
  'mentor',
  'mentee',
  'match',
  'matching',
  'partner',
  'mentore',
  'mentorin',
  'pair',
  'binôme',
]);
const newPartner = `(?:${articles}\\s+)?${adjectives}\\s+${partners}`;

const commandWords: Record<Command, RegExp> = {
  pause: startsWithWords([
    'pause',
    'take a break',
    'have a break',
    'a break',
    'pausieren',
    'pausiere',
    'eine pause',
    'eine pause machen',
    'pause machen',
    'mettre en pause',
    'faire une pause',
    'une pause',
    'pausa',
    'pausar',
    'hacer una pausa',
    'una pausa',
    'fazer uma pausa',
    'uma pausa',
    'fare una pausa',
    'mettere in pausa',
    'pauze',
    'pauzeren',
    'een pauze',
    'pauze nemen',
    'paus',
    'ta en paus',
    'en paus',
    'ta en pause',
    'en pause',
    'holde pause',
    'tage en pause',
    'holde en pause',
  ]),
  exit: startsWithWords([
    'exit',
    'leave',
    'quit',
    'withdraw',
    'drop out',
    'aussteigen',
    'austreten',
    'aufhören',
    'beenden',
    'verlassen',
    'quitter',
    'sortir',
    'arrêter',
    'abandonner',
    'me retirer',
    'salir',
    'dejar',
    'abandonar',
    'retirarme',
    'sair',
    'deixar',
    'desistir',
    'uscire',
    'lasciare',
    'abbandonare',
    'ritirarmi',
    'stoppen',
    'uitstappen',
    'verlaten',
    'lämna',
    'avsluta',
    'hoppa av',
    'avslutte',
    'forlate',
    'slutte',
    'trekke meg',
    'forlade',
    'afslutte',
    'melde mig ud',
  ]),
  rematch: new RegExp(
    `^(?:${wordsPattern([
      'rematch',
      're-match',
      'a rematch',
      'change mentor',
      'change my mentor',
      'switch mentors',
      'changer de mentor',
      'cambiar de mentor',
      'trocar de mentor',
      'cambiare mentore',
    ])}|${newPartner})`,
    'u',
  ),
  unsubscribe: startsWithWords([
    'unsubscribe',
    'stop',
    'opt out',
    'opt-out',
    'remove me',
    'no more emails',
    'abmelden',
    'abbestellen',
    'austragen',
    'désabonner',
    'me désabonner',
    'désinscrire',
    'me désinscrire',
    'désinscription',
    'désabonnement',
    'dar de baja',
    'darme de baja',
    'baja',
    'cancelar suscripción',
    'cancelar la suscripción',
    'descadastrar',
    'cancelar inscrição',
    'cancelar a inscrição',
    'disiscrivimi',
    'disiscrivere',
    'disiscrizione',
    'annulla iscrizione',
    'cancellami',
    'afmelden',
    'uitschrijven',
    'meld me af',
    'schrijf me uit',
    'avregistrera',
    'avprenumerera',
    'avsluta prenumerationen',
    'meld meg av',
    'avmeld',
    'afmeld',
    'afmeld mig',
    'frameld',
  ]),
};

/** What may follow the command word: whom, from what, for how long, and thanks. */
const allowedAfter = new Set([
  // whom
  'me',
  'us',
  'myself',
  'mich',
  'uns',
  'moi',
  'nous',
  'nos',
  'mi',
  'ci',
  'mij',
  'ons',
  'mig',
  'oss',
  'meg',
  'os',
  // from what
  'my',
  'our',
  'the',
  'this',
  'from',
  'of',
  'out',
  'participation',
  'mentoring',
  'mentorship',
  'program',
  'programme',
  'cohort',
  'check-ins',
  'emails',
  'e-mails',
  'mails',
  'messages',
  'list',
  'mailing',
  'emailing',
  'sending',
  'please',
  'meine',
  'mein',
  'die',
  'das',
  'dem',
  'vom',
  'aus',
  'teilnahme',
  'programm',
  'mentorat',
  'du',
  'de',
  'le',
  'la',
  'les',
  'mon',
  'ma',
  'programa',
  'do',
  'el',
  'del',
  'mio',
  'il',
  'dal',
  'programma',
  'het',
  'uit',
  'mijn',
  'min',
  'mitt',
  'programmet',
  'fra',
  'från',
  'af',
  // for how long
  'for',
  'now',
  'a',
  'an',
  'while',
  'bit',
  'few',
  'couple',
  'week',
  'weeks',
  'month',
  'months',
  'one',
  'two',
  'three',
  'vorerst',
  'erstmal',
  'jetzt',
  'mal',
  'pour',
  "l'instant",
  'moment',
  'por',
  'ahora',
  'enquanto',
  'per',
  'ora',
  'voor',
  'nu',
  'even',
  'för',
  'nå',
  'tills',
  'vidare',
  // thanks
  'thanks',
  'thank',
  'you',
  'bitte',
  'danke',
  'merci',
  'gracias',
  'obrigado',
  'obrigada',
  'favor',
  'favore',
  'grazie',
  'bedankt',
  'tack',
  'takk',
  'tak',
]);
const untilWords = new Set([
  'until',
  'till',
  'til',
  'bis',
  "jusqu'à",
  "jusqu'au",
  'hasta',
  'até',
  'fino',
  'tot',
  'indtil',
]);

function onlyAllowedWords(rest: string): boolean {
  const words = rest.split(/[\s,]+/).filter(Boolean);
  for (const [index, word] of words.entries()) {
    if (untilWords.has(word)) return words.length - index <= 4;
    if (!allowedAfter.has(word) && !/^\d+$/.test(word)) return false;
  }
  return true;
}

const maxCommandChars = 300;

/** The intent a line commands, or null when the line is anything but a command. */
export function commandOf(line: string): Command | null {
  // A command is a short line; a long one is never read, which keeps reading linear and fast.
  if (line.length > maxCommandChars) return null;
  let text = trimPunctuation(normalizeLine(line));
  if (text === '' || wordCount(text) > 12) return null;
  for (let match = politeLeadIns.exec(text); match; match = politeLeadIns.exec(text)) {
    text = trimPunctuation(text.slice(match[0].length));
  }
  for (const intent of strength) {
    const match = commandWords[intent].exec(text);
    if (match && onlyAllowedWords(trimPunctuation(text.slice(match[0].length)))) return intent;
  }
  return null;
}

/**
 * The command in a line: the whole line ("Please pause me for a month"), or its first sentence
 * or clause with a reason after it ("Pause for now, back in June"). `whole` is false when the
 * line says more than the command, which then belongs in the note.
 */
export function commandIn(line: string): { command: Command; whole: boolean } | null {
  const command = commandOf(line);
  if (command) return { command, whole: true };
  const clause = line.split(/[.,;!?]|\s[–—-]\s/u)[0] ?? '';
  const first = clause.trim() !== line.trim() ? commandOf(clause) : null;
  return first ? { command: first, whole: false } : null;
}

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
    const prefix = rest
      .slice(0, colon)
      .trim()
      .replace(/\[\d{1,3}\]$/, '')
      .trim()
      .toLowerCase();
    if (!subjectPrefixes.has(prefix)) return rest;
    rest = rest.slice(colon + 1);
  }
}
