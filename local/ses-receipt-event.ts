/** What SES's receipt rule hands the Lambda action: verdicts all PASS, as for a genuine reply. */
export function sesReceiptEvent(
  messageId: string,
  to: string,
  from: string,
  timestamp = new Date().toISOString(),
) {
  const pass = { status: 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: from,
            messageId,
            destination: [to],
            headersTruncated: false,
            headers: [],
            commonHeaders: {
              from: [from],
              to: [to],
              returnPath: from,
              messageId,
              date: timestamp,
              subject: 'Re',
            },
          },
          receipt: {
            timestamp,
            processingTimeMillis: 1,
            recipients: [to],
            spamVerdict: pass,
            virusVerdict: pass,
            spfVerdict: pass,
            dkimVerdict: pass,
            dmarcVerdict: pass,
            dmarcPolicy: 'none',
            action: {
              type: 'Lambda',
              invocationType: 'Event',
              functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:inbound',
            },
          },
        },
      },
    ],
  };
}
