import type { Stack } from 'aws-cdk-lib';

/**
 * The inbound-mail bucket's name, known to both stacks without a cross-stack reference, so the
 * function that reads it can be granted exactly `inbound/*` of it.
 */
export const inboundMailBucketName = (stack: Stack) => `tandem-inbound-mail-${stack.account}-${stack.region}`;
