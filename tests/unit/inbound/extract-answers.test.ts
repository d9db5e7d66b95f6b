import { describe, expect, it } from 'vitest';
import { readMet, readRating } from '../../../shared/inbound/answer-words.ts';
import { type ExtractOptions, extractAnswers } from '../../../shared/inbound/extract-answers.ts';
import { stripQuotes } from '../../../shared/inbound/strip-quotes.ts';

/** What was read, without how sure each reading is (see the confidence tests). */
const read = (text: string, options: ExtractOptions = {}) => {
  const newText = stripQuotes(text);
  const { confidence: _confidence, ...reading } = extractAnswers(newText.blocks, {
    history: newText.history,
    ...options,
  });
  return reading;
};

describe('whether the pair met', () => {
  it.each([
    ['yes', true],
    ['Yes!', true],
    ['yes we met', true],
    ['Yes, we did.', true],
    ['We met on Tuesday.', true],
    ['no', false],
    ['No, not yet', false],
    ['not yet', false],
    ["We didn't manage to meet", false],
    ['Ja', true],
    ['Ja, wir haben uns am Freitag getroffen.', true],
    ['Nein, leider nicht.', false],
    ['Noch nicht', false],
    ['Oui', true],
    ["Oui, on s'est vus jeudi.", true],
    ['Pas encore', false],
    ['Sí, nos vimos el jueves.', true],
    ['Todavía no', false],
    ['Sim, nos encontramos na quarta.', true],
    ['Ainda não', false],
    ['Sì, ci siamo visti martedì', true],
    ['Non ancora', false],
    ['Ja, we hebben elkaar gezien', true],
    ['Nog niet', false],
    ['Ja, vi träffades i tisdags.', true],
    ['Inte än', false],
    ['Ja, vi møttes', true],
    ['Nei, ikke ennå. Vi møtes neste uke.', false],
    ['Ja, vi mødtes i går', true],
    ['Nej, ikke endnu', false],
  ])('%s → %s', (line, met) => {
    expect(read(line).answers.met).toBe(met);
  });

  it.each(['No problem, thanks', 'We met our deadline at work', 'Yes, but we did not meet', 'Sounds good'])(
    'leaves "%s" unanswered',
    (line) => {
      expect(read(line).answers.met).toBeNull();
    },
  );

  it('leaves it unanswered when the reply says both', () => {
    expect(read('1. yes\n\nMet: no').answers.met).toBeNull();
  });
});

describe('reading the answers', () => {
  it('reads a line per question, in their order', () => {
    expect(read('yes\nSQL tuning, career\nupdate my CV; read chapter 3\n4')).toEqual({
      answers: {
        met: true,
        topics: ['SQL tuning', 'career'],
        actionItems: ['update my CV', 'read chapter 3'],
        rating: 4,
      },
      intent: 'continue',
      note: '',
    });
  });

  it('reads numbered answers, and a question copied in front of its answer', () => {
    const reply = read(
      '1. Did you meet since last time? Yes\n2) SQL tuning\n3 - Read the book\n4. Optional: how useful was it, 1–5? 5/5',
    );
    expect(reply.answers).toEqual({
      met: true,
      topics: ['SQL tuning'],
      actionItems: ['Read the book'],
      rating: 5,
    });
  });

  it.each([
    ['Met: no', { met: false }],
    ['Topics: pricing; hiring', { topics: ['pricing', 'hiring'] }],
    ['Themen: Führung, Feedback', { topics: ['Führung', 'Feedback'] }],
    ['Sujets : SQL', { topics: ['SQL'] }],
    ['Temas: entrevistas', { topics: ['entrevistas'] }],
    ['Argomenti: colloqui', { topics: ['colloqui'] }],
    ['Onderwerpen: carrière', { topics: ['carrière'] }],
    ['Ämnen: ledarskap', { topics: ['ledarskap'] }],
    ['Emner: ledelse', { topics: ['ledelse'] }],
    [
      'Action items: update CV; book a mock interview',
      { actionItems: ['update CV', 'book a mock interview'] },
    ],
    ['Nächste Schritte: drei Bewerbungen abschicken', { actionItems: ['drei Bewerbungen abschicken'] }],
    ['Åtgärder: läsa kapitel 3', { actionItems: ['läsa kapitel 3'] }],
    ['Rating: 4/5', { rating: 4 }],
    ['Rating: 4 out of 5', { rating: 4 }],
    ['Bewertung: ★★★★☆', { rating: 4 }],
    ['Note : 3', { rating: 3 }],
    ['Valutazione: 5', { rating: 5 }],
  ])('reads the label in "%s"', (line, answers) => {
    expect(read(line).answers).toMatchObject(answers);
  });

  it('reads "-", "none" and the like as no items', () => {
    expect(read('1. No, todavía no\n2. -\n3. n/a').answers).toEqual({
      met: false,
      topics: [],
      actionItems: [],
      rating: null,
    });
    expect(read('Topics: keine\nAction items: nothing').answers).toMatchObject({
      topics: [],
      actionItems: [],
    });
  });

  it('reads a list under a label, even when it is numbered', () => {
    expect(
      read('Action items:\n1. Rewrite the case study\n2. Record a walkthrough').answers.actionItems,
    ).toEqual(['Rewrite the case study', 'Record a walkthrough']);
  });

  it('reads inline answers by the question quoted above them, and keeps updates on last time in the note', () => {
    const reply = read(
      [
        '> 1. Did you meet since last time?',
        'Not yet, next week',
        '> 3. The action items you committed to',
        '- Write three STAR stories',
        '- Ask for a stretch project',
        '> 4. Optional: how useful was it, 1–5?',
        '4 – very practical',
        '> Last time you committed to:',
        '> - Read chapter 3',
        'Done!',
      ].join('\n'),
    );
    expect(reply).toEqual({
      answers: {
        met: false,
        topics: [],
        actionItems: ['Write three STAR stories', 'Ask for a stretch project'],
        rating: 4,
      },
      intent: 'continue',
      note: 'Done!',
    });
  });

  it('reads a mentor reply by the mentor check-in it quotes: the second answer is a note', () => {
    const quoted =
      '> 1. Did you meet since last time?\n> 2. Anything the organizers should know?\n> 3. Optional: 1–5?';
    expect(
      read(`Yes\nShe is doing great.\n5\n\nOn Tue, 2 Mar 2027, Tandem <c@t.example> wrote:\n${quoted}`),
    ).toEqual({
      answers: { met: true, topics: [], actionItems: [], rating: 5 },
      intent: 'continue',
      note: 'She is doing great.',
    });
  });

  it('keeps what fits no answer, verbatim, and leaves out greeting and sign-off', () => {
    const reply = read(
      'Hi Tandem,\n\nHere are my answers:\nyes\nSQL\nCV\n4\nCould we move the next check-in?\n\nThanks,\nAnna',
    );
    expect(reply.note).toBe('Here are my answers:\nCould we move the next check-in?');
    expect(reply.answers).toEqual({ met: true, topics: ['SQL'], actionItems: ['CV'], rating: 4 });
  });

  it('keeps a long answer in the note as well, as it says more than yes', () => {
    expect(read('1. Yes, at the café near her office on Tuesday')).toMatchObject({
      answers: { met: true },
      note: '1. Yes, at the café near her office on Tuesday',
    });
  });

  it('does not guess topics from prose', () => {
    const reply = read('Yes!\nShe gave me great advice on my CV.\nLooking forward to next time.');
    expect(reply.answers).toEqual({ met: true, topics: [], actionItems: [], rating: null });
    expect(reply.note).toBe('She gave me great advice on my CV.\nLooking forward to next time.');
  });

  it('does not read a rating as an action item when a line is missing', () => {
    expect(read('yes\nall fine\n4')).toMatchObject({
      answers: { met: true, topics: [], actionItems: [], rating: 4 },
      note: 'all fine',
    });
  });

  it('puts nothing but the note after a "no"', () => {
    expect(read('No\nShe was ill\nNext week instead')).toMatchObject({
      answers: { met: false, topics: [] },
      note: 'She was ill\nNext week instead',
    });
  });

  it.each([
    ['4', 4],
    ['4/5', 4],
    ['4 / 5', 4],
    ['4 out of 5', 4],
    ['4 von 5', 4],
    ['4 sur 5', 4],
    ['★★★★', 4],
    ['⭐️⭐️⭐️', 3],
    ['*****', 5],
    ['4 stars', 4],
    ['6', null],
    ['0', null],
    ['4.5', null],
    ['3-4', null],
    ['4/10', 2],
    ['8/10', 4],
    ['7/10', null],
    ['four', 4],
    ['a three', 3],
    ['drei von fünf', 3],
    ['quatre sur cinq', 4],
  ])('reads the rating %s as %s', (value, rating) => {
    expect(readRating(value, 'answer')?.value ?? null).toBe(rating);
  });

  it.each([
    ['It was really useful, 5/5!', 5],
    ["I'd rate it a 4", 4],
    ['4 out of 5', 4],
    ['I read 3/5 chapters', null],
    ['It was helpful to discuss 2 topics', null],
  ])('reads a rating in prose only when unmistakable: %s', (line, rating) => {
    expect(readRating(line, 'prose')?.value ?? null).toBe(rating);
  });

  it('answers nothing from an empty text, and is sure of it', () => {
    expect(extractAnswers([])).toEqual({
      answers: { met: null, topics: [], actionItems: [], rating: null },
      intent: 'continue',
      note: '',
      confidence: { met: 'high', topics: 'high', actionItems: 'high', rating: 'high', intent: 'high' },
    });
  });

  it('reads a yes or no in prose more strictly than under the question', () => {
    expect(readMet('Yes, I will send the notes later today', 'answer')?.value).toBe(true);
    expect(readMet('No problem at all', 'prose')).toBeNull();
  });
});

describe('intents', () => {
  it.each([
    ['pause', 'pause'],
    ['Please pause me for a month.', 'pause'],
    ["I'd like to take a break until May", 'pause'],
    ['Jeg vil gerne holde pause til april.', 'pause'],
    ['Bitte pausieren', 'pause'],
    ['exit', 'exit'],
    ["I'd like to exit the program.", 'exit'],
    ['Ich möchte aussteigen', 'exit'],
    ['Je voudrais quitter le programme', 'exit'],
    ['rematch', 'rematch'],
    ["I'd like a new mentor, please.", 'rematch'],
    ['Graag een nieuwe mentor.', 'rematch'],
    ['Quiero un nuevo mentor', 'rematch'],
    ['STOP', 'unsubscribe'],
    ['unsubscribe me', 'unsubscribe'],
    ['Please remove me from the list', 'unsubscribe'],
    ['Abmelden', 'unsubscribe'],
    ['Désabonner', 'unsubscribe'],
    ['Darme de baja, por favor', 'unsubscribe'],
    ['Avregistrera mig, tack.', 'unsubscribe'],
    ['Meld meg av', 'unsubscribe'],
  ])('"%s" commands %s', (line, intent) => {
    expect(read(line).intent).toBe(intent);
  });

  it.each([
    'We paused the project at work',
    'Pause the project for now? Not sure.',
    'I had to leave early',
    'Stop by the office next week',
    'Short words work too: pause, exit, rematch, unsubscribe.',
    'No more excuses, I will finish the course',
  ])('"%s" commands nothing', (line) => {
    expect(read(line).intent).toBe('continue');
  });

  it('reads a command followed by its reason, and keeps the reason in the note', () => {
    expect(read('Pause for now, back in June')).toMatchObject({
      intent: 'pause',
      note: 'Pause for now, back in June',
    });
    expect(read("I'd like to exit the program. My new role leaves no time.").intent).toBe('exit');
    expect(read('Exit: the program was great').intent).toBe('continue');
  });

  it('ignores the words quoted from the check-in, and lets the strongest command win', () => {
    expect(read('yes\n> Short words work too: pause, exit').intent).toBe('continue');
    expect(read('pause\nunsubscribe').intent).toBe('unsubscribe');
  });

  it('reads a command in the subject', () => {
    expect(extractAnswers([], { subject: 'Re: Unsubscribe' }).intent).toBe('unsubscribe');
    expect(extractAnswers([], { subject: 'Re: Your check-in with Marco' }).intent).toBe('continue');
  });
});
