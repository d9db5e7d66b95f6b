import PostalMime, { addressParser } from 'postal-mime';

/**
 * Reads a raw message (RFC 5322, as SES stores it) with postal-mime: multipart,
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
}

export type MessageReading = { ok: true; message: ParsedMessage } | { ok: false; problem: string };

/**
 * Tandem reads at most this much of a message. SES accepts up to 40 MB, mostly attachments;
 * the text bodies come first in every client's MIME layout, so the beginning is what counts.
 */
export const maxMessageBytes = 2 * 1024 * 1024;
const maxHeaderBytes = 256 * 1024;

const recipientHeaders = ['delivered-to', 'x-original-to', 'to', 'cc'] as const;

function bytesOf(raw: Uint8Array | string): Uint8Array {
  return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
}

/** A quick look at the first bytes, so a picture or a YAML file gets a plain answer. */
function problemWithStart(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 4096);
  if (head.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d))
    return 'it is empty';
  if (head.includes(0)) return 'it is a binary file';
  const firstLine = new TextDecoder('latin1').decode(head.subarray(0, 200)).split(/\r?\n/)[0] ?? '';
  if (!/^(?:[!-9;-~]+:|From )/.test(firstLine)) return 'it does not start with mail headers (such as From:)';
  return null;
}

function addressesIn(values: readonly string[]): string[] {
  return values.flatMap((value) =>
    addressParser(value, { flatten: true })
      .map((mailbox) => mailbox.address?.trim() ?? '')
      .filter((address) => address.includes('@')),
  );
}

export async function parseMessage(raw: Uint8Array | string): Promise<MessageReading> {
  const bytes = bytesOf(raw);
  const problem = problemWithStart(bytes);
  if (problem) return { ok: false, problem };
  const truncated = bytes.length > maxMessageBytes;

  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(truncated ? bytes.subarray(0, maxMessageBytes) : bytes, {
      // A forwarded message stays an attachment: its text is not the participant's.
      forceRfc822Attachments: true,
      maxHeadersSize: maxHeaderBytes,
      maxNestingDepth: 50,
    });
  } catch (error) {
    return { ok: false, problem: `its MIME structure cannot be read (${(error as Error).message})` };
  }

  const headers = new Map<string, string[]>();
  for (const header of email.headers)
    headers.set(header.key, [...(headers.get(header.key) ?? []), header.value]);
  const from = email.from?.address ? { address: email.from.address, name: email.from.name } : null;
  if (!from?.address.includes('@')) return { ok: false, problem: 'it has no sender address (From:)' };

  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  return {
    ok: true,
    message: {
      headers,
      from,
      recipients: [...new Set(recipientHeaders.flatMap((name) => addressesIn(headers.get(name) ?? [])))],
      subject: email.subject ?? '',
      messageId: email.messageId ?? null,
      inReplyTo: email.inReplyTo ?? null,
      references: (email.references ?? '').split(/\s+/).filter(Boolean),
      date: email.date ?? null,
      mimeType: (contentType.split(';')[0] ?? '').trim().toLowerCase(),
      partTypes: email.attachments.map((attachment) => attachment.mimeType),
      text: email.text ?? '',
      html: email.html ?? '',
      truncated,
    },
  };
}

/** The first value of a header, or undefined. */
export const headerOf = (message: ParsedMessage, name: string) =>
  message.headers.get(name.toLowerCase())?.[0];
