import EmailReplyParser from 'email-reply-parser';
import { describe, expect, it, vi } from 'vitest';
import { htmlToText } from '../../../shared/inbound/html-text.ts';
import { limits, stripQuotes } from '../../../shared/inbound/strip-quotes.ts';

const checkIn = '> Hi Anna,\n>\n> 1. Did you meet since last time?\n> 2. The one or two topics you discussed';

describe('stripQuotes', () => {
  it('keeps the text above a quoted check-in and returns the quote as history', () => {
    const result = stripQuotes(
      `yes\nSQL tuning\n\nOn Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:\n\n${checkIn}\n`,
    );
    expect(result.text).toBe('yes\nSQL tuning');
    expect(result.blocks).toEqual([{ quoted: [], lines: ['yes', 'SQL tuning'] }]);
    expect(result.history).toContain('1. Did you meet since last time?');
  });

  it.each([
    ['en', 'On Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:'],
    [
      'en, wrapped by Gmail',
      'On Tue, Mar 2, 2027 at 9:00 AM Tandem Mentoring <\ncheckins@tandem.example> wrote:',
    ],
    ['de', 'Am Di., 2. März 2027 um 09:00 Uhr schrieb Tandem <checkins@tandem.example>:'],
    ['fr', 'Le mar. 2 mars 2027 à 09:00, Tandem <checkins@tandem.example> a écrit :'],
    ['es', 'El mar, 2 mar 2027 a las 9:00, Tandem (<checkins@tandem.example>) escribió:'],
    ['pt', 'Em ter., 2 de mar. de 2027 às 09:00, Tandem <checkins@tandem.example> escreveu:'],
    ['it', 'Il giorno mar 2 mar 2027 alle ore 09:00 Tandem <checkins@tandem.example> ha scritto:'],
    ['nl', 'Op di 2 mrt 2027 om 09:00 schreef Tandem <checkins@tandem.example>:'],
    [
      'nl, Apple Mail',
      'Op 2 mrt 2027 om 09:00 heeft Tandem <checkins@tandem.example> het volgende geschreven:',
    ],
    ['sv', 'Den tis 2 mars 2027 kl 09:00 skrev Tandem <checkins@tandem.example>:'],
    ['no', 'tir. 2. mar. 2027 kl. 09:00 skrev Tandem <checkins@tandem.example>:'],
    ['da', 'Den tir. 2. mar. 2027 kl. 09.00 skrev Tandem <checkins@tandem.example>:'],
    ['pl (email-reply-parser)', 'W dniu 2 marca 2027 09:00 Tandem <checkins@tandem.example> napisał:'],
    ['Thunderbird', 'On 3/2/27 9:00 AM, Tandem Mentoring wrote:'],
  ])('drops the attribution line above the quote (%s)', (_, attribution) => {
    expect(stripQuotes(`Yes we met\n\n${attribution}\n${checkIn}`).text).toBe('Yes we met');
  });

  it.each([
    [
      'en',
      'From: Tandem <checkins@tandem.example>\nSent: Tuesday, March 2, 2027 9:00 AM\nTo: Anna\nSubject: Check-in',
    ],
    [
      'de',
      'Von: Tandem <checkins@tandem.example>\nGesendet: Dienstag, 2. März 2027 09:00\nAn: Anna\nBetreff: Check-in',
    ],
    [
      'de, GMX',
      'Gesendet: Dienstag, 02. März 2027 um 09:00 Uhr\nVon: "Tandem" <checkins@tandem.example>\nAn: anna@web.de\nBetreff: Check-in',
    ],
    [
      'fr',
      'De : Tandem <checkins@tandem.example>\nEnvoyé : mardi 2 mars 2027 09:00\nÀ : Anna\nObjet : Check-in',
    ],
    [
      'es',
      'De: Tandem <checkins@tandem.example>\nEnviado: martes, 2 de marzo de 2027 9:00\nPara: Anna\nAsunto: Check-in',
    ],
    [
      'pt',
      'De: Tandem <checkins@tandem.example>\nEnviada em: terça-feira, 2 de março de 2027 09:00\nData: 2 de março\nPara: Anna\nAssunto: Check-in',
    ],
    [
      'it',
      'Da: Tandem <checkins@tandem.example>\nInviato: martedì 2 marzo 2027 09:00\nA: Anna\nOggetto: Check-in',
    ],
    [
      'nl',
      'Van: Tandem <checkins@tandem.example>\nVerzonden: dinsdag 2 maart 2027 09:00\nAan: Anna\nOnderwerp: Check-in',
    ],
    [
      'sv',
      'Från: Tandem <checkins@tandem.example>\nSkickat: den 2 mars 2027 09:00\nTill: Anna\nÄmne: Check-in',
    ],
    [
      'no',
      'Fra: Tandem <checkins@tandem.example>\nSendt: tirsdag 2. mars 2027 09:00\nTil: Anna\nEmne: Check-in',
    ],
    ['da', 'Fra: Tandem <checkins@tandem.example>\nSendt: 2. marts 2027 09:00\nTil: Anna\nEmne: Check-in'],
  ])('cuts at an Outlook header block (%s), with the rule above it', (_, header) => {
    const body = `Ja\n\n________________________________\n${header}\n\nHi Anna,\n1. Did you meet since last time?`;
    expect(stripQuotes(body).text).toBe('Ja');
  });

  it.each([
    '-----Original Message-----',
    '-----Ursprüngliche Nachricht-----',
    "-----Message d'origine-----",
    '-----Mensaje original-----',
    '-----Mensagem original-----',
    '-----Messaggio originale-----',
    '-----Oorspronkelijk bericht-----',
    '-----Ursprungligt meddelande-----',
    '-----Opprinnelig melding-----',
    '-----Oprindelig meddelelse-----',
    '---------- Forwarded message ---------',
    '---------- Weitergeleitete Nachricht ---------',
    'Begin forwarded message:',
  ])('cuts at "%s"', (separator) => {
    expect(stripQuotes(`Yes we met\n\n${separator}\nHi Anna,\nold text`).text).toBe('Yes we met');
  });

  it('keeps inline answers with the question quoted above each', () => {
    const body = `On Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:\n> 1. Did you meet since last time?\nyes\n> 2. The one or two topics you discussed\nSQL tuning\n> 3. The action items\n`;
    const result = stripQuotes(body);
    expect(result.blocks).toEqual([
      { quoted: ['1. Did you meet since last time?'], lines: ['yes'] },
      { quoted: ['2. The one or two topics you discussed'], lines: ['SQL tuning'] },
    ]);
    expect(result.text).toBe('yes\n\nSQL tuning');
  });

  it('keeps a bottom-posted reply below the quote', () => {
    expect(stripQuotes(`${checkIn}\n\nyes\nSQL`).text).toBe('yes\nSQL');
  });

  it('drops an attribution whose quote is not marked with ">"', () => {
    const body =
      'yes\n\nOn Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:\nHi Anna,\nold text';
    expect(stripQuotes(body).text).toBe('yes');
  });

  it('keeps a sentence that merely ends in "wrote:" when no date or address backs it', () => {
    expect(stripQuotes('Here is what she wrote:\n> Keep going!\nI agree.').text).toBe(
      'Here is what she wrote:\n\nI agree.',
    );
  });

  it.each([
    ['--', '-- \nAnna Schmidt\nData Analyst'],
    ['iPhone (en)', 'Sent from my iPhone'],
    ['iPhone (de)', 'Von meinem iPhone gesendet'],
    ['iPhone (fr)', 'Envoyé de mon iPhone'],
    ['iPhone (es)', 'Enviado desde mi iPhone'],
    ['iPhone (pt)', 'Enviado do meu iPhone'],
    ['iPhone (it)', 'Inviato da iPhone'],
    ['iPhone (nl)', 'Verstuurd vanaf mijn iPhone'],
    ['iPhone (sv)', 'Skickat från min iPhone'],
    ['iPhone (no, da)', 'Sendt fra min iPhone'],
    ['Outlook (en)', 'Get Outlook for iOS<https://aka.ms/o0ukef>'],
    ['Outlook (de)', 'Outlook für Android beziehen<https://aka.ms/AAb9ysg>'],
    ['Outlook (es)', 'Obtener Outlook para iOS<https://aka.ms/o0ukef>'],
    ['Outlook (sv)', 'Hämta Outlook för iOS<https://aka.ms/o0ukef>'],
    ['Proton', 'Sent with Proton Mail secure email.'],
    ['Yahoo', 'Sent from Yahoo Mail on Android'],
    ['sign-off', 'Best regards,\nPriya Nair\nContoso Ltd.'],
  ])('removes the signature (%s)', (_, signature) => {
    expect(stripQuotes(`yes\nSQL\n\n${signature}\n\n${checkIn}`).text).toBe('yes\nSQL');
  });

  it('returns nothing for a reply that is only a signature and a quote', () => {
    expect(stripQuotes(`\n\nSent from my iPhone\n\n${checkIn}`)).toMatchObject({ text: '', blocks: [] });
  });

  it('reads only the first limits.bodyChars of a huge body', () => {
    const result = stripQuotes(`yes\n${'x'.repeat(limits.bodyChars * 2)}`);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(limits.bodyChars);
  });

  it('never hands email-reply-parser more than a bounded window, however pathological the input', () => {
    // Shapes that make the parser's regexes backtrack for seconds (crisp-oss/email-reply-parser#39).
    const pathological = [
      'Op schreef x\n'.repeat(5_000),
      `Am ${'x schrieb x <'.repeat(5_000)}`,
      `On x${' on'.repeat(20_000)}`,
      ` on ${'x'.repeat(2_000)} at ${'y'.repeat(2_000)}\n`.repeat(20),
    ];
    const read = vi.spyOn(EmailReplyParser.prototype, 'read');
    for (const body of pathological) stripQuotes(body);
    expect(read).toHaveBeenCalled();
    for (const [text] of read.mock.calls) {
      expect(text.length).toBeLessThanOrEqual(limits.parserChars + 1);
      expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(
        limits.parserLineChars,
      );
    }
    read.mockRestore();
  });
});

describe('htmlToText', () => {
  const read = (html: string) => stripQuotes(htmlToText(html).text).text;

  it.each([
    [
      'Gmail',
      '<div dir="ltr">yes</div><div class="gmail_quote"><div class="gmail_attr">Le mar. 2 mars 2027, Tandem a écrit :</div><blockquote class="gmail_quote">Hi Anna</blockquote></div>',
    ],
    [
      'Outlook',
      '<div>yes</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Tandem</div><div>Hi Anna</div>',
    ],
    [
      'Thunderbird',
      '<p>yes</p><div class="moz-cite-prefix">Am 02.03.27 um 09:00 schrieb Tandem:</div><blockquote type="cite">Hi Anna</blockquote>',
    ],
    [
      'Apple Mail',
      '<div>yes</div><div><br><blockquote type="cite"><div>On 2 Mar 2027, at 09:00, Tandem wrote:</div><div>Hi Anna</div></blockquote></div>',
    ],
    [
      'Proton',
      '<div>yes</div><div class="protonmail_quote">Tandem wrote:<br><blockquote class="protonmail_quote" type="cite">Hi Anna</blockquote></div>',
    ],
    [
      'Yahoo',
      '<div>yes</div><div id="yahoo_quoted_1" class="yahoo_quoted"><div>Tandem wrote:</div><div>Hi Anna</div></div>',
    ],
  ])('reads the quote containers of %s in any language', (_, html) => {
    expect(read(html)).toBe('yes');
  });

  it('leaves out signature containers and keeps lists', () => {
    const html =
      '<ol><li>yes</li><li>SQL tuning</li></ol><ul><li>update CV</li></ul><div class="gmail_signature">-- <br>Anna</div>';
    expect(read(html)).toBe('1. yes\n2. SQL tuning\n\n- update CV');
  });
});

describe('what is not the participant’s', () => {
  const quoteBelow =
    '\n\nOn Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:\n> Hi Anna,\n> 1. Did you meet?';

  it.each([
    [
      'a corporate signature under a formal closing',
      'Yes, we met.\n\nKind regards\nHilde Johansen\nHR Business Partner\nFabrikam | Oslo\n+47 22 00 00 00',
      'Yes, we met.',
    ],
    [
      'a bilingual closing and a company block',
      'Ja.\n\nMit freundlichen Grüßen / Kind regards\n\nDana Hoffmann\nSenior Controller\n\nBeispiel GmbH\nTel.: +49 89 1234567',
      'Ja.',
    ],
    [
      'the signature under an informal sign-off, which stays',
      'Yes.\n\nThanks\nBella\n\nBella Moore | Marketing Lead',
      'Yes.\n\nThanks\nBella',
    ],
    ['a Czech sign-off with name and title', 'Yes.\n\nS pozdravem\nFilip Novák\nSoftware Engineer', 'Yes.'],
    [
      'a disclaimer',
      'Yes.\n\nThis email and any attachments are confidential and intended solely for the addressee. If you received it in error, notify the sender.',
      'Yes.',
    ],
    [
      'a client line with a link',
      'Yes.\n\nSent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows',
      'Yes.',
    ],
    ['a phone in Turkish', 'Yes.\n\nHuawei telefonumdan gönderildi', 'Yes.'],
    ['a picture placeholder', 'Yes.\n\n[image: Acme Corp]', 'Yes.'],
  ])('leaves out %s', (_, body, text) => {
    expect(stripQuotes(`${body}${quoteBelow}`).text).toBe(text);
  });

  it('is empty when a reply is only a signature and a disclaimer', () => {
    const body =
      'Jade Turner\nProcurement Lead | Woodgrove Bank\n\nThis email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please notify the sender and delete it.';
    expect(stripQuotes(`${body}${quoteBelow}`).text).toBe('');
  });

  it('keeps answers that look like a signature line: "Yes | OKRs | …", "Met<tab>yes"', () => {
    expect(stripQuotes('Yes | OKRs, hiring plan | draft the Q3 OKRs | 5').text).toBe(
      'Yes | OKRs, hiring plan | draft the Q3 OKRs | 5',
    );
    expect(stripQuotes('Met\tYes\nTopics\tHiring').text).toBe('Met\tYes\nTopics\tHiring');
  });

  it('cuts a quote a mobile client flattened into the line of the reply', () => {
    expect(
      stripQuotes(
        'Yes we met Thursday, 5/5 On Tue, Mar 2, 2027 at 9:00 AM Tandem Mentoring <checkins@tandem.example> wrote: Hi Rae, Short replies work too: pause, exit, unsubscribe.',
      ).text,
    ).toBe('Yes we met Thursday, 5/5');
    expect(
      stripQuotes('Oui, on s’est vus lundi. Le 2 mars 2027 à 09:00, Tandem <c@t.example> a écrit : Bonjour')
        .text,
    ).toBe('Oui, on s’est vus lundi.');
  });

  it('cuts at a quote header a client wrapped over three lines, or put on one line', () => {
    const wrapped =
      'No, not yet.\n\nOn Tuesday, March 2, 2027 at 9:00:00 AM Central European Standard Time,\nTandem Mentoring\n<checkins@tandem.example> wrote:\nHi Theo,\nold text';
    expect(stripQuotes(wrapped).text).toBe('No, not yet.');
    const oneLine =
      'Yes met Tuesday.\n\nFrom: Tandem Mentoring Sent: Tuesday, 2 March 2027 09:00 To: Pete Subject: Check-in 3\n\nHi Pete,\nold text';
    expect(stripQuotes(oneLine).text).toBe('Yes met Tuesday.');
  });

  it('finds answers typed under the questions inside the quote, at the quote’s depth only', () => {
    const body = [
      'On Tue, Mar 2, 2027 at 9:00 AM Tandem <checkins@tandem.example> wrote:',
      '> 1. Did you meet since the last check-in? (yes / no)',
      '> Yes',
      '> 2. Which one or two topics did you talk about?',
      '> Stakeholder management',
      '> 3. Which action items did you commit to?',
      '> 4. Optional: how useful was it, from 1 (not at all) to 5 (very)?',
      '> 4',
      '>',
      '> Short replies work too.',
    ].join('\n');
    expect(stripQuotes(body).answersInQuote).toEqual([
      { quoted: ['1. Did you meet since the last check-in? (yes / no)'], lines: ['Yes'] },
      { quoted: ['2. Which one or two topics did you talk about?'], lines: ['Stakeholder management'] },
      { quoted: ['4. Optional: how useful was it, from 1 (not at all) to 5 (very)?'], lines: ['4'] },
    ]);
    const untouched = body
      .replace('> Yes\n', '')
      .replace('> Stakeholder management\n', '')
      .replace('> 4\n', '');
    expect(stripQuotes(untouched).answersInQuote).toEqual([]);
  });
});

describe('htmlToText tables', () => {
  it('writes a row per line, its cells separated by " | "', () => {
    const html =
      '<table><tr><td><p class="MsoNormal">Did you meet?</p></td><td><p class="MsoNormal">Yes</p></td></tr><tr><th>Rating</th><td>4</td></tr></table>';
    expect(htmlToText(html).text.trim()).toBe('Did you meet? | Yes\nRating | 4');
  });
});
