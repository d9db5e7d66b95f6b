import type { IKey } from 'aws-cdk-lib/aws-kms';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

/**
 * Tandem's queues, named so the data key's policy (stateful stack) can let EventBridge
 * encrypt for exactly the queues it feeds, with no reference across the stacks.
 */
export const queueNames = {
  sesEvents: 'tandem-ses-events',
  sesEventsDeadLetters: 'tandem-ses-events-dead-letters',
  inboundDeadLetters: 'tandem-inbound-dead-letters',
} as const;

/**
 * Every Tandem queue holds mail events or replies' SES records: encrypted with the data key
 * (the table's customer-managed key), TLS only.
 */
export const encryptedQueueProps = (dataKey: IKey, queueName: string) =>
  ({
    queueName,
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: dataKey,
    enforceSSL: true,
  }) satisfies QueueProps;
