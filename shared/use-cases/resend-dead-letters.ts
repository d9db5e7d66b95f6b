import type { CohortStore } from '../ports.ts';
import {
  type DeliveryDeps,
  type DeliveryOptions,
  defaultLeaseMs,
  deliverClaimed,
  describeKey,
} from './deliver-email.ts';
import { loadCohort } from './load-cohort.ts';

export interface ResendResult {
  cohortId: string;
  /** Dead letters there were. */
  deadLetters: number;
  resent: number;
  /** Rejected again: still dead letters, with the new reason. */
  failedAgain: number;
  /** SES holds mail back (quota, pause) or the outcome of a send is not known yet: try again later. */
  later: number;
  /** Sent meanwhile, or the participant has unsubscribed or bounced since: nothing to send. */
  cleared: number;
  /** Their copy is gone (kept 30 days): listed, not resent. */
  expired: string[];
  message: string;
}

/**
 * `tandem resend COHORT`: the organizer fixed what made SES reject messages (an unverified
 * sender, a bad address corrected) and sends every dead letter again, as it was composed. Each
 * one is claimed in the ledger again first, so two resends at once still send it once.
 */
export async function resendDeadLetters(
  cohortId: string,
  deps: DeliveryDeps & { store: CohortStore; delivery?: DeliveryOptions },
): Promise<ResendResult> {
  await loadCohort(deps.store, cohortId);
  const deadLetters = await deps.ledger.listDeadLetters(cohortId);
  const result: ResendResult = {
    cohortId,
    deadLetters: deadLetters.length,
    resent: 0,
    failedAgain: 0,
    later: 0,
    cleared: 0,
    expired: [],
    message: '',
  };
  for (const { key } of deadLetters) {
    const leaseMs = deps.delivery?.leaseMs ?? defaultLeaseMs;
    const reopened = await deps.ledger.reopen(key, { now: deps.clock.now(), leaseMs });
    switch (reopened.outcome) {
      case 'claimed': {
        const { email, participantEmail } = reopened.copy;
        const outcome = await deliverClaimed(
          email,
          reopened.claimToken,
          participantEmail,
          deps,
          deps.delivery,
        );
        if (outcome === 'sent') {
          await deps.ledger.clearDeadLetter(key, deps.clock.now());
          result.resent++;
        } else if (outcome === 'dead-lettered') result.failedAgain++;
        else result.later++;
        break;
      }
      case 'done':
        result.cleared++;
        break;
      case 'suppressed':
        await deps.ledger.clearDeadLetter(key, deps.clock.now());
        result.cleared++;
        break;
      case 'expired':
        result.expired.push(describeKey(key));
        break;
      default:
        result.later++;
    }
  }
  result.message = resendMessage(result);
  return result;
}

function resendMessage(r: ResendResult): string {
  if (r.deadLetters === 0) return 'There are no dead letters to resend.';
  const parts = [`Resent ${r.resent} of ${r.deadLetters} dead letters.`];
  if (r.failedAgain > 0)
    parts.push(`${r.failedAgain} were rejected again: see the notices (tandem status) for why.`);
  if (r.later > 0) parts.push(`${r.later} could not go yet (SES holds mail back): run this again later.`);
  if (r.cleared > 0)
    parts.push(`${r.cleared} needed nothing more (sent meanwhile, or the person unsubscribed).`);
  if (r.expired.length > 0)
    parts.push(`${r.expired.length} are older than 30 days and were not resent: ${r.expired.join(', ')}.`);
  return parts.join(' ');
}
