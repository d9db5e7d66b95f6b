import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../local/dynamodb-local.ts';
import { startLocalStack } from '../../local/local-stack.ts';
import { devAdminClient } from '../../local/oidc/local-oidc-provider.ts';
import { VirtualClock } from '../../local/virtual-clock.ts';
import { clientToken } from '../support/sign-in.ts';

const environment = { ...process.env };
afterAll(() => {
  process.env = environment;
});

it('serves from its own engines when it is the second local stack of the process', async () => {
  // Each stack's handlers must use its engines (its sign-in too), not those the first one left behind.
  for (const _ of [1, 2]) {
    const clock = new VirtualClock({ start: new Date('2031-05-01T07:00:00Z'), speed: 1 });
    const stack = await startLocalStack({ clock });
    try {
      // …and its inbox starts empty: the first stack's mail is not the second one's.
      expect(await stack.capturedSince(0)).toEqual([]);
      const token = await clientToken(stack.signIn.issuer, devAdminClient());
      const response = await fetch(`${stack.apiUrl}/cohorts/no-such-cohort`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
      const ses = new SESv2Client({
        endpoint: stack.sesEndpoint,
        region: localRegion,
        credentials: localCredentials,
      });
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'tandem@tandem.localhost',
          Destination: { ToAddresses: ['someone@example.org'] },
          Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi' } } } },
        }),
      );
      ses.destroy();
      // Captured as soon as SES answered, and stamped in the run's virtual time, though the
      // local SES runs in its own thread.
      const captured = await stack.capturedSince(0);
      expect(captured).toHaveLength(1);
      expect(Math.abs((captured[0]?.at ?? 0) * 1000 - clock.now())).toBeLessThan(5000);
    } finally {
      await stack.stop();
    }
  }
});
