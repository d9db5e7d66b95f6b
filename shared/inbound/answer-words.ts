import { commandOf } from './intents.ts';
import { normalizeLine, startsWithWords, trimPunctuation, wordCount, wordsPattern } from './reply-words.ts';

/**
 * How participants write the answers to a check-in, in English, German, French, Spanish,
 * Portuguese, Italian, Dutch, Swedish, Norwegian and Danish: yes and no, "we met", ratings,
 * lists, labels such as "Topics:", the questions themselves, greetings and sign-offs.
 * Each reader returns null when it is not sure: a missing answer is better than a wrong one.
 */

/** Where a line of a reply belongs. `note` is free text kept verbatim. */
export type AnswerSlot = 'met' | 'topics' | 'actionItems' | 'rating' | 'note';

/** A line longer than this is prose, never an answer: it is not read, which keeps reading fast. */
const maxAnswerChars = 1_000;

/** A value read from a line, and how many of its words the value did not explain. */
export interface Reading<T> {
  value: T;
  extraWords: number;
}

const yesWords = [
  'yes',
  'yep',
  'yeah',
  'yup',
  'yess',
  'y',
  'sure',
  'absolutely',
  'definitely',
  'of course',
  'indeed',
  'ja',
  'jep',
  'jap',
  'jo',
  'jawohl',
  'genau',
  'klar',
  'oui',
  'ouais',
  'bien sûr',
  'sí',
  'si',
  'claro',
  'sim',
  'sì',
  'certo',
  'jazeker',
  'zeker',
  'japp',
  'jepp',
  'jada',
];
const noWords = [
  'no',
  'nope',
  'nah',
  'n',
  'not yet',
  'not really',
  'unfortunately not',
  'sadly not',
  'nein',
  'nee',
  'noch nicht',
  'leider nicht',
  'leider nein',
  'non',
  'pas encore',
  'pas vraiment',
  'todavía no',
  'todavia no',
  'aún no',
  'aun no',
  'não',
  'nao',
  'ainda não',
  'ainda nao',
  'non ancora',
  'niet',
  'nog niet',
  'neen',
  'nej',
  'inte än',
  'inte ännu',
  'nei',
  'ikke ennå',
  'ikke enda',
  'ikke endnu',
];
const startsWithYes = startsWithWords(yesWords);
const startsWithNo = startsWithWords(noWords);

/** "We met" in words that cannot mean anything else (reciprocal verbs), or that rarely do. */
const metPhrases = new RegExp(
  `${wordsPattern([
    'we met',
    'we have met',
    "we've met",
    'we did meet',
    'we met up',
    'we caught up',
    'we had a call',
    'we had our call',
    'we had a meeting',
    'we had our meeting',
    'we had a session',
    'we had our session',
    'we talked',
    'we spoke',
    'met up',
    'haben uns getroffen',
    'haben uns gesehen',
    'wir trafen uns',
    'uns getroffen',
    'haben telefoniert',
    "on s'est vus",
    "on s'est vu",
    "on s'est parlé",
    'nous nous sommes vus',
    'nous nous sommes rencontrés',
    'nous nous sommes parlé',
    'nos vimos',
    'nos hemos visto',
    'nos reunimos',
    'nos hemos reunido',
    'nos encontramos',
    'conversamos',
    'ci siamo visti',
    'ci siamo incontrati',
    'ci siamo sentiti',
    'elkaar gezien',
    'elkaar ontmoet',
    'elkaar gesproken',
    'vi träffades',
    'vi har träffats',
    'vi sågs',
    'vi møttes',
    'vi har møtt',
    'vi har møttes',
    'vi mødtes',
    'vi har mødt',
    'vi sås',
  ])}|(?<!\\p{L})(?:haben|hatten) uns(?:\\s+[\\p{L}\\d.]+){0,3}\\s+(?:getroffen|gesehen)(?!\\p{L})`,
  'u',
);
const notMetPhrases = new RegExp(
  wordsPattern([
    "didn't meet",
    'did not meet',
    "haven't met",
    'have not met',
    "we didn't",
    'we did not',
    "we haven't",
    'we have not',
    "couldn't meet",
    'could not meet',
    "weren't able to meet",
    "didn't get to meet",
    "didn't manage to meet",
    'no meeting',
    'not met',
    'nicht getroffen',
    'nicht gesehen',
    'kein treffen',
    'pas vus',
    'pas vu',
    'pas rencontrés',
    'pas pu nous voir',
    'no nos vimos',
    'no nos hemos visto',
    'no nos reunimos',
    'no nos hemos reunido',
    'não nos encontramos',
    'não nos reunimos',
    'nao nos encontramos',
    'non ci siamo visti',
    'non ci siamo incontrati',
    'non ci siamo sentiti',
    'niet gezien',
    'niet ontmoet',
    'niet gesproken',
    'inte träffats',
    'inte träffades',
    'inte setts',
    'ikke møttes',
    'ikke møtt',
    'ikke mødtes',
    'ikke mødt',
  ]),
  'u',
);
/** Words that, right after "we met", make it about meeting something else ("we met our deadline"). */
const metAnObject =
  /^\s*(?:the|our|my|a|an|his|her|their|your|them|him|some|all|every|that|these|those|with)\b/;
/** After a yes or no, these say it was about meeting: "yes we did", "no we haven't". */
const weDid = startsWithWords([
  'we did',
  'we have',
  "we've",
  'wir haben',
  'haben wir',
  'vi har',
  'we hebben',
]);

/**
 * Did the pair meet? `answer` reads the answer to that very question ("1. Yes", "Met: not
 * yet", the line under the quoted question); `prose` reads any other line and needs an
 * unmistakable yes or no ("Yes!", "yes we met", "we didn't manage to meet").
 */
export function readMet(line: string, mode: 'answer' | 'prose'): Reading<boolean> | null {
  if (line.length > maxAnswerChars) return null;
  const text = trimPunctuation(normalizeLine(line));
  if (text === '') return null;
  const total = wordCount(text);
  const no = startsWithNo.exec(text);
  const yes = no ? null : startsWithYes.exec(text);
  const lead = no ?? yes;
  const afterLead = lead ? text.slice(lead[0].length) : text;
  const notMet = notMetPhrases.exec(afterLead);
  const met = notMet ? null : metPhrases.exec(afterLead);
  const phrase = notMet ?? met;
  const explained = (lead ? wordCount(lead[0]) : 0) + (phrase ? wordCount(phrase[0]) : 0);
  const reading = (value: boolean) => ({ value, extraWords: total - explained });

  if (lead) {
    const value = Boolean(yes);
    // "No, but we met briefly" says both: leave it to the organizers.
    if (phrase && Boolean(met) !== value) return null;
    if (mode === 'answer' || total === wordCount(lead[0])) return reading(value);
    // In prose, the yes or no must be a clause of its own ("No, not yet. …"), or be followed
    // by what it is about ("yes we met", "no, we didn't").
    const rest = trimPunctuation(afterLead);
    if (phrase && rest.startsWith(phrase[0])) return reading(value);
    const clause = trimPunctuation(afterLead.split(/[.!?;,:]|\s[–—-]\s/u)[0] ?? '');
    if (clause === '') return reading(value);
    const more = (value ? startsWithYes : startsWithNo).exec(clause) ?? weDid.exec(clause);
    return more && wordCount(clause) === wordCount(more[0])
      ? { value, extraWords: total - wordCount(lead[0]) - wordCount(more[0]) }
      : null;
  }
  if (notMet) return reading(false);
  if (met) {
    const after = afterLead.slice((met.index ?? 0) + met[0].length);
    if (mode === 'prose' && metAnObject.test(after)) return null;
    return reading(true);
  }
  if (mode === 'answer' && /^(?:met|getroffen|rencontrés?|vus)$/.test(text)) return reading(true);
  return null;
}

const scale = '(?:/|out of|of|von|sur|de|su|van|av|af|ud af)';
const starWords = '(?:stars?|sterne?|étoiles?|estrellas?|estrelas?|stelle|sterren|stjärnor|stjerner)';
const ratingAtStart = new RegExp(
  `^([1-5])(?:\\s*${scale}\\s*5(?!\\d))?(?!\\s*[/.,–-]\\s*\\d)(?!\\d)(?:\\s*${starWords})?`,
  'u',
);
const ratingAnywhere = new RegExp(`(?<![\\d.,])([1-5])\\s*${scale}\\s*5(?![\\d.,])`, 'u');
const ratingWords = new RegExp(
  wordsPattern([
    'rating',
    'rate',
    'rated',
    "i'd rate",
    'score',
    'useful',
    'usefulness',
    'helpful',
    'bewertung',
    'nützlich',
    'hilfreich',
    'utile',
    'utilité',
    'útil',
    'valoración',
    'puntuación',
    'avaliação',
    'valutazione',
    'utilità',
    'beoordeling',
    'nuttig',
    'betyg',
    'användbar',
    'nyttig',
    'vurdering',
  ]),
  'u',
);
const ratingAfterWord = new RegExp(
  `${ratingWords.source}[\\s:=–-]*(?:(?:it|a|an|is|was|as|at|ist|war|est|es|é|è|är|er)[\\s:=–-]+){0,2}(?<![\\d.,])([1-5])(?:\\s*${scale}\\s*5)?(?![\\d.,/])`,
  'u',
);

function readStars(text: string): Reading<number> | null {
  const stars = text.replace(/\uFE0F/g, '').match(/^([★⭐]{1,5}|\*{1,5})☆*(?=\s|$)/u);
  if (!stars?.[1]) return null;
  return { value: [...stars[1]].length, extraWords: wordCount(text.slice(stars[0].length)) };
}

/**
 * How useful the meeting was, 1 to 5: "4", "4/5", "4 out of 5", "★★★★", "Rating: 4". In prose
 * the line needs a rating word or must be the rating alone ("I read 3/5 chapters" is not one).
 */
export function readRating(line: string, mode: 'answer' | 'prose'): Reading<number> | null {
  if (line.length > maxAnswerChars) return null;
  const stars = readStars(normalizeLine(line));
  if (stars) return mode === 'answer' || stars.extraWords === 0 ? stars : null;
  const text = trimPunctuation(normalizeLine(line));
  const total = wordCount(text);
  if (mode === 'answer') {
    const match = ratingAtStart.exec(text);
    if (match?.[1]) return { value: Number(match[1]), extraWords: total - wordCount(match[0]) };
  }
  const anywhere = ratingAnywhere.exec(text);
  if (anywhere?.[1] && (ratingWords.test(text) || total === wordCount(anywhere[0]))) {
    return { value: Number(anywhere[1]), extraWords: total - wordCount(anywhere[0]) };
  }
  const afterWord = ratingAfterWord.exec(text);
  if (afterWord?.[1]) return { value: Number(afterWord[1]), extraWords: total - wordCount(afterWord[0]) };
  return null;
}

const nothing = new RegExp(
  `^${wordsPattern(['none', 'nothing', 'n/a', 'na', 'nil', 'keine', 'nichts', 'aucun', 'aucune', 'rien', 'ninguno', 'ninguna', 'nada', 'nenhum', 'nenhuma', 'nessuno', 'niente', 'geen', 'niets', 'inga', 'inget', 'ingen', 'ingenting'])}$|^[-–—]$`,
  'u',
);
const bullet = /^(?:[-*•·–—+]|\d{1,2}[.)])\s+/u;

/** The text without any of `chars` at its end, in linear time. */
function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

/** A list item without its bullet or number. */
export const withoutBullet = (line: string) => line.trim().replace(bullet, '');

/**
 * Topics or action items written on one line. Topics are short, so commas separate them
 * ("SQL tuning, career"); an action item may hold a comma, so only semicolons do.
 */
export function readItems(line: string, slot: 'topics' | 'actionItems'): string[] {
  const value = withoutBullet(line);
  const parts = slot === 'topics' ? value.replace(/\s+/g, ' ').split(/[;,]| [&+/] /) : value.split(';');
  return parts
    .map((item) => withoutTrailing(withoutBullet(item), '.!').trim())
    .filter((item) => trimPunctuation(item) !== '' && !nothing.test(trimPunctuation(normalizeLine(item))));
}

const labels: Record<AnswerSlot, readonly string[]> = {
  met: [
    'met',
    'meet',
    'meeting',
    'met since last time',
    'getroffen',
    'treffen',
    'rencontre',
    'reunión',
    'reunião',
    'encontro',
    'incontro',
    'ontmoeting',
    'afspraak',
    'träff',
    'träffats',
    'möte',
    'møte',
    'møtt',
    'møde',
    'mødt',
  ],
  topics: [
    'topics',
    'topic',
    'topics discussed',
    'discussed',
    'subjects',
    'themes',
    'themen',
    'thema',
    'besprochen',
    'sujets',
    'sujet',
    'thèmes',
    'temas',
    'tema',
    'assuntos',
    'argomenti',
    'argomento',
    'onderwerpen',
    'onderwerp',
    'ämnen',
    'ämne',
    'emner',
    'emne',
    'temaer',
  ],
  actionItems: [
    'action items',
    'action item',
    'actions',
    'next steps',
    'next step',
    'to-dos',
    'todos',
    'to do',
    'to-do',
    'todo',
    'commitments',
    'homework',
    'aufgaben',
    'nächste schritte',
    'prochaines étapes',
    'tâches',
    'acciones',
    'próximos pasos',
    'tareas',
    'ações',
    'próximos passos',
    'tarefas',
    'azioni',
    'prossimi passi',
    'compiti',
    'actiepunten',
    'acties',
    'volgende stappen',
    'åtgärder',
    'nästa steg',
    'uppgifter',
    'handlingspunkter',
    'oppgaver',
    'neste steg',
    'opgaver',
    'næste skridt',
    'handlinger',
  ],
  rating: [
    'rating',
    'rate',
    'score',
    'useful',
    'usefulness',
    'how useful',
    'grade',
    'bewertung',
    'nützlichkeit',
    'évaluation',
    'utilité',
    'valoración',
    'puntuación',
    'utilidad',
    'avaliação',
    'utilidade',
    'valutazione',
    'voto',
    'utilità',
    'beoordeling',
    'cijfer',
    'betyg',
    'användbarhet',
    'vurdering',
    'karakter',
    'nytte',
  ],
  // "Note" is a rating in French and a remark in English: a note that is only a rating counts as one.
  note: [
    'note',
    'notes',
    'nota',
    'notas',
    'comments',
    'comment',
    'other',
    'anything else',
    'organizers',
    'organisers',
    'remarks',
    'anmerkungen',
    'anmerkung',
    'sonstiges',
    'kommentar',
    'remarques',
    'commentaires',
    'commentaire',
    'comentarios',
    'comentários',
    'observaciones',
    'observações',
    'commenti',
    'opmerkingen',
    'opmerking',
    'kommentarer',
    'övrigt',
    'annet',
    'andet',
    'bemærkninger',
    'merknader',
  ],
};
const labelPatterns = (Object.entries(labels) as [AnswerSlot, readonly string[]][]).map(
  ([slot, words]) =>
    [slot, new RegExp(`^\\**${wordsPattern(words)}\\**\\s*(?::|=|\\s[–—-])\\s*\\**\\s*`, 'iu')] as const,
);

/** "Topics: SQL tuning" → topics and the text after the label. */
export function readLabel(line: string): { slot: AnswerSlot; value: string } | null {
  const text = line.trim();
  for (const [slot, pattern] of labelPatterns) {
    const match = pattern.exec(text);
    if (match) return { slot, value: text.slice(match[0].length) };
  }
  return null;
}

const questionWords: [AnswerSlot, RegExp][] = [
  ['note', /\bpreviously committed\b/u],
  [
    'rating',
    /useful|\brat(?:e|ing)\b|\bscore|1\s*(?:[-–]|to|bis|à|a|tot|till|til)\s*5|nützlich|hilfreich|bewert|utile|utilit|útil|valora|puntu|avalia|valut|nuttig|beoordel|användbar|betyg|nyttig|nytte|vurder/u,
  ],
  [
    'actionItems',
    /action|commit|next step|to-?dos?\b|aufgabe|vorgenommen|schritte|engag|tâche|étape|acci[oó]n|tarea|pasos|aç(?:ão|ões)|tarefa|passos|azion|impegn|compit|actie|stappen|åtgärd|uppgift|steg\b|handling|oppgave|opgave|skridt/u,
  ],
  [
    'topics',
    /topic|discuss|themen|thema\b|besproch|sujet|abordé|temas?\b|hablad|assunt|argoment|onderwerp|ämne|emner?\b|temaer/u,
  ],
  [
    'note',
    /organi[sz]er|organisator|organisateur|organizador|organizzator|should know|wissen sollte|devraient savoir/u,
  ],
  [
    'met',
    /(?<!\p{L})(?:meet|met)(?!\p{L})|getroffen|treffen|gesehen|rencontr|(?<!\p{L})vus?(?!\p{L})|reuni|visto|encontr|incontr|visti|ontmoet|gezien|gesproken|träff|møtt|møte|mødt|møde/u,
  ],
];

/** Which check-in question a line asks, from its words ("2. The one or two topics you discussed"). */
export function questionOf(line: string): AnswerSlot | null {
  if (line.length > maxAnswerChars) return null;
  const text = normalizeLine(line);
  if (wordCount(text) === 0 || wordCount(text) > 25) return null;
  // The check-in quotes last round's action items back: an update on them is a note, not a new item.
  if (/\blast (?:time|round)\b/u.test(text) && text.includes('committed')) return 'note';
  return questionWords.find(([, words]) => words.test(text))?.[0] ?? null;
}

const organizersQuestion =
  /organi[sz]ers? should know|organisator(?:en|innen)? wissen|organisateurs devraient savoir|organizadores deber[ií]an saber/u;

/** The mentor's check-in asks what the organizers should know; the mentee's does not. */
export const asksOrganizersNote = (line: string) => organizersQuestion.test(normalizeLine(line));

/** "1. yes", "2) SQL tuning", "3 - read the book": the number and what follows it. */
export function readNumbered(line: string): { number: number; value: string } | null {
  const text = line.trimStart();
  const match = /^\(?(?:q|question|frage)? ?(\d{1,2})(?:[.:](?=\s|$)|[)\]]|\s[–-](?=\s))/iu.exec(text);
  return match?.[1] ? { number: Number(match[1]), value: text.slice(match[0].length).trim() } : null;
}

const greetingWords = startsWithWords([
  'hi',
  'hello',
  'hey',
  'dear',
  'good morning',
  'good afternoon',
  'good evening',
  'hallo',
  'liebe',
  'lieber',
  'liebes',
  'moin',
  'servus',
  'guten morgen',
  'guten tag',
  'guten abend',
  'bonjour',
  'bonsoir',
  'salut',
  'coucou',
  'hola',
  'buenos días',
  'buenas tardes',
  'buenas',
  'olá',
  'ola',
  'oi',
  'bom dia',
  'boa tarde',
  'ciao',
  'salve',
  'buongiorno',
  'buonasera',
  'hoi',
  'goedemorgen',
  'goedemiddag',
  'beste',
  'hej',
  'hejsan',
  'hei',
  'hallå',
  'god morgon',
  'god morgen',
  'goddag',
  'kære',
  'kjære',
]);
const closingWords = new RegExp(
  `^${wordsPattern([
    'thanks',
    'thank you',
    'thanks a lot',
    'many thanks',
    'thx',
    'cheers',
    'best',
    'best regards',
    'kind regards',
    'warm regards',
    'regards',
    'all the best',
    'bye',
    'see you',
    'talk soon',
    'danke',
    'vielen dank',
    'danke schön',
    'viele grüße',
    'liebe grüße',
    'beste grüße',
    'lg',
    'vg',
    'mfg',
    'gruß',
    'grüße',
    'merci',
    'merci beaucoup',
    'cordialement',
    'bien à vous',
    'bonne journée',
    'à bientôt',
    'bises',
    'gracias',
    'muchas gracias',
    'saludos',
    'un saludo',
    'abrazos',
    'obrigado',
    'obrigada',
    'abraços',
    'atenciosamente',
    'grazie',
    'grazie mille',
    'saluti',
    'cordiali saluti',
    'un saluto',
    'a presto',
    'bedankt',
    'dank je',
    'dank u',
    'groeten',
    'groetjes',
    'met vriendelijke groet',
    'hartelijke groet',
    'tack',
    'tack så mycket',
    'hälsningar',
    'mvh',
    'med vänlig hälsning',
    'vänliga hälsningar',
    'takk',
    'tusen takk',
    'hilsen',
    'vennlig hilsen',
    'med vennlig hilsen',
    'tak',
    'mange tak',
    'venlig hilsen',
    'kh',
  ])}`,
  'u',
);

/** "Hi Tandem," — a greeting with at most a name after it. */
export function isGreeting(line: string): boolean {
  if (line.length > maxAnswerChars) return false;
  const text = trimPunctuation(normalizeLine(line));
  const match = greetingWords.exec(text);
  if (!match) return false;
  const rest = trimPunctuation(text.slice(match[0].length));
  return wordCount(rest) <= 3 && readMet(rest, 'answer') === null && commandOf(rest) === null;
}

/** "Thanks, Anna" — a closing with at most a name after it. */
export function isClosing(line: string): boolean {
  if (line.length > maxAnswerChars) return false;
  const text = trimPunctuation(normalizeLine(line));
  const match = closingWords.exec(text);
  return match !== null && wordCount(text.slice(match[0].length)) <= 2;
}

/** A line that may stand under a closing: a name, a title ("Anna", "Senior Data Engineer"). */
export const isSignOffLine = (line: string) => wordCount(line) <= 4 && !/[\d:@]/.test(line);
