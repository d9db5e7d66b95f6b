import type { ReceiptVerdicts } from '../../shared/inbound/authentication-verdict.ts';

/** SES's verdicts on a message whose sender is proven: everything passed, DMARC included. */
export const authenticated: ReceiptVerdicts = {
  spfVerdict: { status: 'PASS' },
  dkimVerdict: { status: 'PASS' },
  dmarcVerdict: { status: 'PASS' },
  dmarcPolicy: 'none',
  virusVerdict: { status: 'PASS' },
  spamVerdict: { status: 'PASS' },
};

/**
 * …and on one whose From nobody vouches for: SPF passed, but for another domain's envelope
 * sender; no DKIM signature; DMARC failed under a "none" policy. SES accepts it.
 */
export const unauthenticated: ReceiptVerdicts = {
  ...authenticated,
  dkimVerdict: { status: 'GRAY' },
  dmarcVerdict: { status: 'FAIL' },
};
