import { type AddressObject, type ParsedMail, parseAddressHeader, simpleParser } from 'mailparser';

/**
 * Reads a raw message (RFC 5322, as SES stores it) with mailparser: multipart,
 * quoted-printable, base64, charsets, encoded words. Returns what Tandem needs to classify,
 * authenticate and understand a reply, or the reason it is not an email at all.
 */

export interface Mailbox {
  address: string;
  name: string;
}

export interface ParsedMessage {
  /** Header values by lower-case name, in message order; a name may repeat (Delivered-To). */
  headers: ReadonlyMap<string, readonly string[]>;
  from: Mailbox;
  /** Every address the message was for: Delivered-To, X-Original-To, To, Cc, in that order. */
  recipients: string[];
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** ISO 8601 when the Date header parses. */
  date: string | null;
  /** The MIME type of the message itself, lower-case, e.g. `multipart/report`. */
  mimeType: string;
  /** MIME types of the parts besides the text and HTML bodies (attachments, delivery reports). */
  partTypes: string[];
  text: string;
  html: string;
  /** The message was longer than `maxMessageBytes`: only its beginning was read. */
  truncated: boolean;
  /** The signing domain (`d=`) of each DKIM-Signature header, lower-case: whose DKIM pass SES saw. */
  dkimDomains: string[];
}

export type MessageReading = { ok: true; message: ParsedMessage } | { ok: false; problem: string };

/**
 * Tandem reads at most this much of a message: SES accepts up to 40 MB, mostly attachments,
 * and in every client's MIME layout the text bodies come first. Parsing time grows with both
 * bytes and lines, so both are bounded.
 */
export const maxMessageBytes = 512 * 1024;
export const maxMessageLines = 8_000;
/** A subject is a line: longer ones (RFC 5322 allows 998 characters) are cut before anything reads them. */
export const maxSubjectChars = 998;

const recipientHeaders = ['delivered-to', 'x-original-to', 'to', 'cc'] as const;

/** The bytes of the message; of a string, only the characters that can fall within `maxMessageBytes`. */
function bytesOf(raw: Uint8Array | string): { bytes: Buffer; cut: boolean } {
  if (typeof raw !== 'string')
    return { bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), cut: false };
  const cut = raw.length > maxMessageBytes;
  return { bytes: Buffer.from(cut ? raw.slice(0, maxMessageBytes) : raw, 'utf8'), cut };
}

/** The beginning of the message that Tandem reads: at most `maxMessageBytes` and `maxMessageLines`. */
function readablePart(bytes: Buffer): Buffer {
  let end = Math.min(bytes.length, maxMessageBytes);
  let lineBreak = -1;
  for (let lines = 0; lines < maxMessageLines; lines++) {
    lineBreak = bytes.indexOf(0x0a, lineBreak + 1);
    if (lineBreak === -1 || lineBreak >= end) return bytes.subarray(0, end);
  }
  end = lineBreak + 1;
  return bytes.subarray(0, end);
}

/** A quick look at the first bytes, so a picture or a YAML file gets a plain answer. */
function problemWithStart(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 4096);
  if (head.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d))
    return 'it is empty';
  if (head.includes(0)) return 'it is a binary file';
  const firstLine = head.subarray(0, 200).toString('latin1').split(/\r?\n/)[0] ?? '';
  if (!/^(?:[!-9;-~]+:|From )/.test(firstLine)) return 'it does not start with mail headers (such as From:)';
  return null;
}

/** Header values as written, unfolded, by lower-case name and in message order. */
function rawHeaders(mail: ParsedMail): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }
  return headers;
}

const addressesOf = (values: readonly string[]) =>
  values.flatMap((value) =>
    parseAddressHeader(value, { flatten: true, decodePunycode: false })
      .value.map((mailbox) => mailbox.address?.trim() ?? '')
      .filter((address) => address.includes('@')),
  );

const firstMailbox = (header: AddressObject | undefined): Mailbox | null => {
  const mailbox = header?.value.find((each) => each.address?.includes('@'));
  return mailbox?.address ? { address: mailbox.address, name: mailbox.name } : null;
};

export async function parseMessage(raw: Uint8Array | string): Promise<MessageReading> {
  const { bytes, cut } = bytesOf(raw);
  const problem = problemWithStart(bytes);
  if (problem) return { ok: false, problem };
  const readable = readablePart(bytes);

  let mail: ParsedMail;
  try {
    mail = await simpleParser(readable, {
      // Tandem converts HTML itself, keeping the quote containers; nothing else is needed.
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      // A delivery report and a forwarded message stay attachments: they are not the sender's text.
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      maxHeadSize: 256 * 1024,
      maxChildNodes: 200,
    });
  } catch (error) {
    return { ok: false, problem: `its MIME structure cannot be read (${(error as Error).message})` };
  }

  const headers = rawHeaders(mail);
  const from = firstMailbox(mail.from);
  if (!from) return { ok: false, problem: 'it has no sender address (From:)' };
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  const references = mail.references ?? [];
  return {
    ok: true,
    message: {
      headers,
      from,
      recipients: [...new Set(recipientHeaders.flatMap((name) => addressesOf(headers.get(name) ?? [])))],
      subject: (mail.subject ?? '').slice(0, maxSubjectChars),
      messageId: mail.messageId ?? null,
      inReplyTo: mail.inReplyTo ?? null,
      references: typeof references === 'string' ? [references] : references,
      date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
      mimeType: (contentType.split(';')[0] ?? '').trim().toLowerCase(),
      partTypes: mail.attachments.map((attachment) => attachment.contentType.toLowerCase()),
      text: mail.text ?? '',
      html: mail.html || '',
      truncated: cut || readable.length < bytes.length,
      dkimDomains: (headers.get('dkim-signature') ?? []).flatMap(dkimDomainOf),
    },
  };
}

/** The `d=` tag of a DKIM-Signature header value (tags are `;`-separated `name=value`). */
function dkimDomainOf(signature: string): string[] {
  for (const tag of signature.split(';')) {
    const [name, value] = tag.split('=', 2);
    if (name?.trim().toLowerCase() === 'd' && value?.trim()) return [value.trim().toLowerCase()];
  }
  return [];
}

/** The first value of a header, or undefined. */
export const headerOf = (message: ParsedMessage, name: string) =>
  message.headers.get(name.toLowerCase())?.[0];
