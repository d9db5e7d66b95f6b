import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { formatAddress } from '../../email/email-address.ts';
import type { OutboundEmail } from '../../email/outbound-email.ts';
import type { Mailer } from '../../ports.ts';

/**
 * Sends through SES v2 as a Simple message with Tandem's headers. The ledger key travels as
 * email tags, so SES events (send, bounce, complaint) lead back to the message and recipient.
 */
export class SesMailer implements Mailer {
  readonly #client: SESv2Client;
  readonly #configurationSetName: string | undefined;

  constructor(client: SESv2Client, options: { configurationSetName?: string } = {}) {
    this.#client = client;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(email: OutboundEmail): Promise<{ providerMessageId: string }> {
    const { ledger } = email;
    const result = await this.#client.send(
      new SendEmailCommand({
        FromEmailAddress: formatAddress(email.from),
        Destination: { ToAddresses: [formatAddress(email.to)] },
        ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
        ...(this.#configurationSetName ? { ConfigurationSetName: this.#configurationSetName } : {}),
        EmailTags: [
          { Name: 'cohort', Value: ledger.cohortId },
          { Name: 'recipient', Value: ledger.recipientId },
          { Name: 'kind', Value: ledger.kind },
          { Name: 'round', Value: String(ledger.round) },
        ],
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
            Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: value })),
            ...(email.attachments?.length
              ? {
                  Attachments: email.attachments.map((file) => ({
                    FileName: file.fileName,
                    ContentType: file.contentType,
                    RawContent: new TextEncoder().encode(file.content),
                    ContentDisposition: 'ATTACHMENT' as const,
                    ContentTransferEncoding: 'BASE64' as const,
                  })),
                }
              : {}),
          },
        },
      }),
    );
    return { providerMessageId: result.MessageId ?? '' };
  }
}
