import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import type { MessageKind } from '../../shared/email/message-kinds.ts';
import { type DeliveryEvent, recordDeliveryEvent } from '../../shared/use-cases/record-delivery-event.ts';
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
  ].map((r) => normalizeEmail(r.emailAddress.replace(/^.*<([^>]+)>.*$/, '$1')));
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

/** Bounces, complaints and SES's own record of what it sent, delivered by EventBridge. */
export const handler = instrumented(async (event: unknown) => {
  const { detail } = parse(event, undefined, sesEventSchema);
  const delivery = toDeliveryEvent(detail);
  logger.info('SES event', {
    type: delivery.type,
    ledger: delivery.ledger,
    recipients: delivery.recipients.length,
  });
  await recordDeliveryEvent(delivery, handlerDeps());
});
