import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../cohorts/cohort.ts';
import { keys } from './table-design.ts';
import { cancellationReasons } from './table-helpers.ts';

/** An applicant from the form who has not confirmed: one of the cohort's `INTAKE_COUNTS.unconfirmed`. */
export const holdsIntakePlace = (participant: Pick<Participant, 'confirmed' | 'consent'>) =>
  !participant.confirmed && participant.consent.source === 'applicant';

/**
 * Writes these items in one transaction with one fewer unconfirmed applicant, when the
 * participant counted as one (from the form, not confirmed yet): confirming, or being
 * forgotten, frees their place. A count already at zero (an applicant removed meanwhile) is
 * left alone. The items' own conditions make a second call change nothing.
 */
export async function freeingAnIntakePlace(
  db: DynamoDBDocumentClient,
  table: string,
  participant: Pick<Participant, 'cohortId' | 'confirmed' | 'consent'>,
  items: Record<string, unknown>[],
): Promise<void> {
  let counted = holdsIntakePlace(participant);
  for (;;) {
    const count = {
      Update: {
        TableName: table,
        Key: keys.intakeCounts(participant.cohortId),
        UpdateExpression: 'ADD unconfirmed :minusOne',
        ConditionExpression: 'unconfirmed > :zero',
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      },
    };
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...items,
            ...(counted ? [count] : []),
          ] as TransactWriteCommandInput['TransactItems'],
        }),
      );
      return;
    } catch (error) {
      if (!counted || cancellationReasons(error)[items.length] !== 'ConditionalCheckFailed') throw error;
      counted = false;
    }
  }
}
