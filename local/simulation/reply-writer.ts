import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import MailComposer from 'nodemailer/lib/mail-composer';
import { escapeHtml } from '../../shared/escape-html.ts';
import type { MailClient } from './synthetic-cohort.ts';

/** The email a simulated participant answers. */
export interface OriginalEmail {
  subject: string;
  text: string;
  from: string;
  date: Date;
}

export interface ReplyDraft {
  from: { name: string; email: string };
  /** The reply address of the original (its Reply-To). */
  to: string;
  original: OriginalEmail;
  /** What the participant types. */
  body: string;
  client: MailClient;
  date: Date;
  /** An out-of-office message instead of a reply. */
  autoReply?: boolean;
}

/**
 * Writes the raw message a real mail program would send for a reply: its quote header and
 * quoting style (Gmail's "On … wrote:" and gmail_quote, Outlook's From/Sent block, Apple
 * Mail's and the iPhone's "On …, at …", Thunderbird's), its signature, its headers.
 */
export async function writeReply(draft: ReplyDraft): Promise<Buffer> {
  const { from, to, original, client, date } = draft;
  const text = draft.autoReply ? draft.body : `${draft.body}${quoteOf(client, original)}`;
  const domain = from.email.split('@')[1] ?? 'example.net';
  const composer = new MailComposer({
    from: { name: from.name, address: from.email },
    to,
    subject: draft.autoReply ? `Automatic reply: ${original.subject}` : `Re: ${original.subject}`,
    text,
    ...(client === 'gmail' && !draft.autoReply ? { html: gmailHtml(draft.body, original) } : {}),
    date,
    messageId: `<${randomUUID()}@${domain}>`,
    headers: draft.autoReply ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
  });
  return composer.compile().build();
}

const quoted = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');

function quoteOf(client: MailClient, original: OriginalEmail): string {
  const at = DateTime.fromJSDate(original.date).setLocale('en-US');
  const sender = original.from;
  switch (client) {
    case 'gmail':
      return `\n\nOn ${at.toFormat('EEE, MMM d, yyyy')} at ${at.toFormat('h:mm a')} ${sender} wrote:\n\n${quoted(original.text)}\n`;
    case 'outlook':
      return `\n\n________________________________\nFrom: ${sender}\nSent: ${at.toFormat('EEEE, MMMM d, yyyy h:mm a')}\nSubject: ${original.subject}\n\n${original.text}\n`;
    case 'outlook-mobile':
      return `\n\nGet Outlook for iOS\n________________________________\nFrom: ${sender}\nSent: ${at.toFormat('EEEE, MMMM d, yyyy h:mm:ss a')}\nSubject: ${original.subject}\n\n${original.text}\n`;
    case 'apple-mail':
      return `\n\n> On ${at.toFormat('d MMM yyyy')}, at ${at.toFormat('HH:mm')}, ${sender} wrote:\n> \n${quoted(original.text)}\n`;
    case 'iphone':
      return `\n\nSent from my iPhone\n\n> On ${at.toFormat('d MMM yyyy')}, at ${at.toFormat('HH:mm')}, ${sender} wrote:\n> \n${quoted(original.text)}\n`;
    case 'thunderbird':
      return `\n\nOn ${at.toFormat('dd/MM/yyyy HH:mm')}, ${sender} wrote:\n${quoted(original.text)}\n`;
  }
}

function gmailHtml(body: string, original: OriginalEmail): string {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => `<div>${line ? escapeHtml(line) : '<br>'}</div>`)
      .join('');
  const at = DateTime.fromJSDate(original.date).setLocale('en-US');
  return `<div dir="ltr">${lines(body)}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On ${at.toFormat('EEE, MMM d, yyyy')} at ${at.toFormat('h:mm a')} ${escapeHtml(original.from)} wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${lines(original.text)}</blockquote></div>`;
}
