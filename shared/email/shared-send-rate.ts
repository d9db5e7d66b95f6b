import type { Clock, Mailer, RateLimits } from '../ports.ts';

/** SES's default sending rate for a production account, per second. */
export const defaultSendRate = 14;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends under the account's SES rate, shared by every sender at once. Every Lambda that mails
 * (up to four wave batches, intake, replies, events) takes its sends from one budget per
 * second (a `RateLimits` counter, an item per second in the table), so together they never pass the
 * account's rate however many run. A sender takes what its waiting messages need in one
 * request, uses it within that second, and waits for the next second when the budget is spent.
 */
export function sharedRateMailer(
  mailer: Mailer,
  limits: RateLimits,
  options: { perSecond: number; clock: Clock; sleep?: (ms: number) => Promise<void> },
): Mailer {
  const { perSecond, clock } = options;
  const sleep = options.sleep ?? realSleep;
  /** Sends taken for `second` and not used yet: void once that second is over. */
  let taken = { second: -1, left: 0 };
  let waiting = 0;
  let refilling: Promise<void> | undefined;
  const secondOf = () => Math.floor(clock.now().getTime() / 1000);

  const refill = async (second: number) => {
    const got = await limits.take(
      {
        scope: 'ses-send',
        window: String(second),
        limit: perSecond,
        expiresAt: new Date((second + 3600) * 1000),
      },
      Math.min(Math.max(waiting, 1), perSecond),
    );
    if (got > 0) taken = { second, left: got };
    else await sleep(Math.max(1, (second + 1) * 1000 - clock.now().getTime()));
  };

  return {
    async send(email) {
      waiting++;
      let counted = true;
      try {
        for (;;) {
          const second = secondOf();
          if (taken.second === second && taken.left > 0) {
            taken.left--;
            waiting--;
            counted = false;
            // Called in the same turn as the check: the send belongs to the second it was taken for.
            return await mailer.send(email);
          }
          refilling ??= refill(second).finally(() => {
            refilling = undefined;
          });
          await refilling;
        }
      } finally {
        if (counted) waiting--;
      }
    },
  };
}
