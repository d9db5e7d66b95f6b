import type { ReceiptVerdicts } from '../../shared/inbound/authentication-verdict.ts';

/** SES's verdicts on a genuine reply: every check passed. */
export const passingVerdicts: ReceiptVerdicts = {
  spfVerdict: { status: 'PASS' },
  dkimVerdict: { status: 'PASS' },
  dmarcVerdict: { status: 'PASS' },
  dmarcPolicy: 'none',
  virusVerdict: { status: 'PASS' },
  spamVerdict: { status: 'PASS' },
};
