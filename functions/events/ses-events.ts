import { parse } from '@aws-lambda-powertools/parser';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { addressIn } from '../../shared/email/email-address.ts';
import type { MessageKind } from '../../shared/email/message-kinds.ts';
import { type DeliveryEvent, recordDeliveryEvents } from '../../shared/use-cases/record-delivery-events.ts';
import { normalizeEmail } from '../../shared/validation/fields.ts';
import { handlerDeps } from '../adapters.ts';
import { instrumented, logger } from '../powertools.ts';

/** SES event publishing (configuration set → EventBridge): the parts Tandem acts on. */
const sesEventSchema = EventBridgeSchema.extend({
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string().optional(),
      tags: z.record(z.string(), z.array(z.string())).default({}),
    }),
    bounce: z
      .object({ bounceType: z.string(), bouncedRecipients: z.array(z.object({ emailAddress: z.string() })) })
      .optional(),
    complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
  }),
});

const types: Record<string, DeliveryEvent['type']> = {
  Send: 'send',
  Delivery: 'delivery',
  Bounce: 'bounce',
  Complaint: 'complaint',
};

export function toDeliveryEvent(detail: z.output<typeof sesEventSchema>['detail']): DeliveryEvent {
  const tag = (name: string) => detail.mail.tags[name]?.[0];
  const cohortId = tag('cohort');
  const recipientId = tag('recipient');
  const kind = tag('kind');
  const round = tag('round');
  const recipients = [
    ...(detail.bounce?.bouncedRecipients ?? []),
    ...(detail.complaint?.complainedRecipients ?? []),
  ].map((r) => normalizeEmail(addressIn(r.emailAddress)));
  return {
    type: types[detail.eventType] ?? 'other',
    ...(cohortId && recipientId && kind && round && /^\d+$/.test(round)
      ? { ledger: { cohortId, recipientId, kind: kind as MessageKind, round: Number(round) } }
      : {}),
    ...(detail.mail.messageId ? { providerMessageId: detail.mail.messageId } : {}),
    recipients,
    ...(detail.bounce ? { bounceType: detail.bounce.bounceType } : {}),
  };
}

const sesEventBodySchema = JSONStringified(sesEventSchema);

/**
 * Bounces, complaints and SES's own record of what it sent: EventBridge puts SES's events on a
 * queue and Lambda takes them a batch at a time. Only the records that failed go back to the
 * queue (to be retried, then kept in its dead-letter queue); an unreadable one fails alone.
 */
export const handler = instrumented(async (event: unknown): Promise<SQSBatchResponse> => {
  const { Records } = parse(event, undefined, SqsSchema);
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  const readable: { messageId: string; event: DeliveryEvent }[] = [];
  for (const record of Records) {
    const body = sesEventBodySchema.safeParse(record.body);
    if (body.success)
      readable.push({ messageId: record.messageId, event: toDeliveryEvent(body.data.detail) });
    else {
      logger.error('Unreadable SES event', { messageId: record.messageId, issues: body.error.issues });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  const failed = await recordDeliveryEvents(
    readable.map((r) => r.event),
    handlerDeps(),
  );
  for (const { index, error } of failed) {
    const { messageId, event: delivery } = readable[index] as (typeof readable)[number];
    logger.error('SES event not recorded', {
      messageId,
      type: delivery.type,
      ledger: delivery.ledger,
      error,
    });
    batchItemFailures.push({ itemIdentifier: messageId });
  }
  logger.info('SES events', { records: Records.length, failed: batchItemFailures.length });
  return { batchItemFailures };
});
