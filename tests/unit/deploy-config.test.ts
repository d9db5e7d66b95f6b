import { describe, expect, it } from 'vitest';
import { resolveDeployConfig } from '../../infra/deploy-config.ts';

const context = (values: Record<string, string>) => (key: string) => values[key];

describe('deploy configuration', () => {
  it('uses placeholders for an offline synth with no parameters', () => {
    const { config, placeholders } = resolveDeployConfig(context({}), undefined);
    expect(placeholders).toBe(true);
    expect(config.senderDomain).toBe('example.org');
  });

  it('names every missing parameter once an AWS account is in reach', () => {
    expect(() => resolveDeployConfig(context({}), '123456789012')).toThrow(
      /senderDomain: is missing[\s\S]*organizerEmail[\s\S]*region: is missing[\s\S]*npx cdk deploy/,
    );
  });

  it('validates the values it is given', () => {
    expect(() =>
      resolveDeployConfig(
        context({ senderDomain: 'mail', organizerEmail: 'x@y.org', region: 'eu-west-1' }),
        undefined,
      ),
    ).toThrow(/senderDomain: must be a domain name/);
    const { config } = resolveDeployConfig(
      context({ senderDomain: 'mail.example.org', organizerEmail: 'x@y.org', region: 'eu-west-1' }),
      '123456789012',
    );
    expect(config).toEqual({
      senderDomain: 'mail.example.org',
      organizerEmail: 'x@y.org',
      region: 'eu-west-1',
      inboundDomain: 'reply.mail.example.org',
      sesMaxSendRate: 14,
      approvalRemindAfterHours: 72,
      approvalEscalateAfterHours: 72,
    });
  });
});
