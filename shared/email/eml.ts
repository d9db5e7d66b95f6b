import MailComposer from 'nodemailer/lib/mail-composer';
import { formatAddress } from './email-address.ts';
import type { OutboundEmail } from './outbound-email.ts';

/** The email as an RFC 5322 `.eml` file, for previews and local outboxes. */
export async function toEml(email: OutboundEmail, date: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: formatAddress(email.from),
    to: formatAddress(email.to),
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    text: email.text,
    html: email.html,
    date,
    headers: email.headers.map(({ name, value }) => ({ key: name, value })),
  });
  return composer.compile().build();
}
