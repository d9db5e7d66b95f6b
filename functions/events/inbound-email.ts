import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { SesSchema } from '@aws-lambda-powertools/parser/schemas/ses';
import { maxReadBytes, receiveReply } from '../../shared/use-cases/receive-reply.ts';
import { handlerDeps } from '../adapters.ts';
import { instrumented, logger, metrics } from '../powertools.ts';

/**
 * The SES receipt rule's Lambda action: the rule has already stored the raw message in the
 * inbound-mail bucket under its SES message id; this reads it (only the part Tandem needs)
 * and hands it to the use case. A failure is thrown, so Lambda retries the event.
 */
export const handler = instrumented(async (event: unknown) => {
  const { Records } = parse(event, undefined, SesSchema);
  const deps = handlerDeps();
  for (const { ses } of Records) {
    const raw = await deps.rawMail.read(ses.mail.messageId, maxReadBytes);
    if (!raw) throw new Error(`The raw message ${ses.mail.messageId} is not in the inbound-mail store (yet)`);
    const result = await receiveReply(
      {
        sesMessageId: ses.mail.messageId,
        raw,
        envelopeRecipients: ses.receipt.recipients,
        verdicts: ses.receipt,
        mailFrom: ses.mail.source,
        receivedAt: new Date(ses.mail.timestamp),
      },
      deps,
    );
    logger.info('inbound message', { sesMessageId: ses.mail.messageId, ...result });
    metrics.addMetric(`Inbound_${result.outcome}`, MetricUnit.Count, 1);
  }
});
