import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SesMailer } from '../../shared/adapters/ses/ses-mailer.ts';
import type { OutboundEmail } from '../../shared/email/outbound-email.ts';
import { seedCohort } from './cohort-fixture.ts';
import { createTestTable, fixedClock } from './local-table.ts';
import { mailDeps } from './mail-deps.ts';

/**
 * One mentee in a cohort on a test table, and SES mocked to inject the faults no engine
 * produces (throttling, quota, timeouts): for tests of the email ledger and delivery. Registers
 * its hooks in the calling `describe`.
 */
export function ledgerFixture(cohortId: string, tom: string) {
  const fixture = {
    table: undefined as unknown as Awaited<ReturnType<typeof createTestTable>>,
    deps: undefined as unknown as ReturnType<typeof mailDeps>,
    clock: fixedClock('2027-02-15T08:00:00Z'),
    /** SES, mocked: every SESv2Client in the test file goes through it. */
    ses: mockClient(SESv2Client),
    /** A fresh message key each call: round numbers are unique. */
    message: (): OutboundEmail => ({
      ledger: { cohortId, recipientId: 'p-tom', kind: 'check-in', round: ++round },
      from: { email: 'mentoring@example.org' },
      to: { name: 'Tom', email: tom },
      subject: 'Check-in',
      text: 'How are things?',
      html: '<p>How are things?</p>',
      headers: [],
    }),
    /** The deps with the mocked SES behind the real mailer adapter. */
    mocked: () => ({ ...fixture.deps, mailer: new SesMailer(new SESv2Client({ region: 'us-east-1' })) }),
  };
  let round = 0;
  beforeAll(async () => {
    fixture.table = await createTestTable();
    fixture.deps = mailDeps(fixture.table, fixture.clock);
    await seedCohort(fixture.deps, {
      id: cohortId,
      people: [{ name: 'Tom', email: tom, role: 'mentee' }],
      pairs: [],
    });
  });
  afterAll(() => fixture.table.drop());
  beforeEach(() => {
    fixture.ses.reset();
    fixture.clock.set('2027-02-15T08:00:00Z');
  });
  return fixture;
}
