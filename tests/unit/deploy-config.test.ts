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
      adminEmail: 'x@y.org',
      automationClients: [],
      sesMaxSendRate: 14,
      approvalRemindAfterHours: 72,
      approvalEscalateAfterHours: 72,
    });
  });

  it('takes scripts’ app clients as JSON, each with its cohorts', () => {
    const base = { senderDomain: 'mail.example.org', organizerEmail: 'x@y.org', region: 'eu-west-1' };
    const { config } = resolveDeployConfig(
      context({
        ...base,
        adminEmail: 'admin@y.org',
        automationClients:
          '[{"name": "hr-sync", "cohorts": ["spring-2027"]}, {"name": "ops", "admin": true}]',
      }),
      '123456789012',
    );
    expect(config.adminEmail).toBe('admin@y.org');
    expect(config.automationClients).toEqual([
      { name: 'hr-sync', cohorts: ['spring-2027'], admin: false },
      { name: 'ops', cohorts: [], admin: true },
    ]);
    expect(() =>
      resolveDeployConfig(
        context({ ...base, automationClients: '[{"name": "HR", "cohorts": ["Bad Id"]}]' }),
        undefined,
      ),
    ).toThrow(/automationClients\[0\]\.name: must be lower-case[\s\S]*automationClients\[0\]\.cohorts\[0\]/);
    expect(() => resolveDeployConfig(context({ ...base, automationClients: 'hr-sync' }), undefined)).toThrow(
      /automationClients: must be a JSON list/,
    );
    expect(() =>
      resolveDeployConfig(context({ ...base, signInDomainPrefix: 'my-aws-login' }), undefined),
    ).toThrow(/signInDomainPrefix: cannot contain aws/);
  });
});
