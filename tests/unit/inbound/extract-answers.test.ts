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

describe('meetings said in prose', () => {
  it.each([
    ['Caught up over coffee on Friday, mostly about my new manager.', true],
    ['met on sat, all good 👍', true],
    ['We managed a quick 20-min call on Wednesday before my flight.', true],
    ['Hatten am Montag ein Telefonat.', true],
    ['Ja hoor, dinsdag koffie gedaan.', true],
    ['Met briefly, but only for 15 minutes because his flight got moved.', true],
    ["We haven't found a time yet - both slammed.", false],
    ['Not managed to meet this time unfortunately.', false],
    ['no — next week', false],
    ['Our session got cancelled (she was sick).', false],
    ['Sadly no meeting this time.', false],
    ['Wir haben leider noch keinen Termin gefunden.', false],
    ["Nous n'avons pas encore eu le temps de nous voir.", false],
    ['Non siamo ancora riusciti a vederci.', false],
  ])('"%s" → %s', (line, met) => {
    expect(read(line).answers.met).toBe(met);
  });

  it.each([
    'We plan to meet Tuesday, will report back after!',
    'Wir treffen uns nächsten Dienstag.',
    'On se voit mardi prochain !',
    'I talked to my manager about the promotion.',
    'We met our deadline at work.',
    'Met de nieuwe baan gaat het goed.',
  ])('says nothing of "%s" (the future, someone else, another "met")', (line) => {
    expect(read(line).answers.met).toBeNull();
  });
});

describe('ratings in words and on other scales', () => {
  it.each([
    ["Super helpful, I'd give it a four.", 4],
    ['A solid 4 this time.', 4],
    ['5/5 would repeat', 5],
    ['Talked through the reorg. 8/10', 4],
    ["I'd say 7/10 - useful but short.", null],
    ['Ich würde sagen drei von fünf.', 3],
    ['Le daría un cuatro.', 4],
    ['Jättebra, en fyra.', 4],
    ['Yes, we met on Monday. 4', 4],
    ['We met at 4 on Tuesday.', null],
    ['It was helpful to discuss 2 topics.', null],
  ])('"%s" → %s', (line, rating) => {
    expect(read(line).answers.rating).toBe(rating);
  });

  it('reads answers on one line split by /, | or -', () => {
    expect(read('yes / negotiation + CV / update CV & apply to 3 jobs / 4').answers).toEqual({
      met: true,
      topics: ['negotiation + CV'],
      actionItems: ['update CV & apply to 3 jobs'],
      rating: 4,
    });
    expect(read('Yes | OKRs, hiring plan | draft the Q3 OKRs | 5').answers.topics).toEqual([
      'OKRs',
      'hiring plan',
    ]);
    expect(read('Nein, leider nicht – sie war krank. Wir holen es nach.').note).toContain('sie war krank');
  });
});

describe('intents said indirectly', () => {
  it.each([
    ['Could we take a break until March?', 'pause'],
    ["I'm back, let's carry on!", 'resume'],
    ['resume', 'resume'],
    ["Honestly this pairing isn't really working — could I try someone else?", 'rematch'],
    ['Könnte ich eine andere Mentorin bekommen?', 'rematch'],
    ['I have to drop out, new job starts Monday.', 'exit'],
    ['I want to leave the mentoring programme.', 'exit'],
    ["I'd like to stop the programme please.", 'exit'],
    ['Ich steige aus dem Programm aus.', 'exit'],
    ['take me off this list', 'unsubscribe'],
    ['Please stop sending me these emails.', 'unsubscribe'],
    ['Ich möchte keine weiteren Mails bekommen.', 'unsubscribe'],
    ['Jeg ønsker ikke flere e-poster fra dere.', 'unsubscribe'],
  ])('"%s" → %s', (line, intent) => {
    expect(read(line).intent).toBe(intent);
  });

  it.each([
    'We talked about how to stop procrastinating.',
    'The project at work is paused.',
    'My manager is leaving the company.',
    "I don't want to quit, just a slow month.",
    'No need to pause us, we meet next week.',
    'Short replies work too: **pause** (take a break), **exit** (leave the program), **rematch** or **unsubscribe** (no more emails).',
  ])('"%s" commands nothing', (line) => {
    expect(read(line).intent).toBe('continue');
  });

  it.each([
    'Not sure whether I should pause for a bit or just push through...',
    'Vielleicht brauche ich bald eine Pause.',
    "Honestly I'm wondering if I should continue at all.",
    "Please stop the reminders, I'll answer when we've met.",
  ])('leaves doubt ("%s") to the organizers: null, low confidence', (line) => {
    const newText = stripQuotes(line);
    const reading = extractAnswers(newText.blocks);
    expect(reading.intent).toBeNull();
    expect(reading.confidence.intent).toBe('low');
    expect(reading.note).toContain(line.slice(0, 20));
  });
});

describe('confidence', () => {
  it('is high for answers given in so many words, low for what was inferred', () => {
    const sure = extractAnswers(stripQuotes('Met: yes\nTopics: pricing\nRating: 4/5').blocks);
    expect(sure.confidence).toEqual({
      met: 'high',
      topics: 'high',
      actionItems: 'high',
      rating: 'high',
      intent: 'high',
    });
    const inferred = extractAnswers(stripQuotes('Had a quick call on Monday, a solid 4.').blocks);
    expect(inferred.answers).toMatchObject({ met: true, rating: 4 });
    expect(inferred.confidence).toMatchObject({ met: 'low', rating: 'low' });
    const unreadable = extractAnswers(stripQuotes('Yes we met. 7/10').blocks);
    expect(unreadable.answers.rating).toBeNull();
    expect(unreadable.confidence.rating).toBe('low');
  });
});
