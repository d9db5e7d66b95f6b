import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as preTokenGeneration } from '../../functions/auth/pre-token-generation.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { type Caller, callerFromClaims, requireAccess } from '../../shared/use-cases/organizer-access.ts';

/** Claims of a Cognito access token as API Gateway's JWT authorizer hands them to a function. */
const cognitoClaims = {
  sub: '7c1e4b2a-0f0e-4d55-9a61-2f3f8e1d9a10',
  'cognito:groups': '[admins]',
  iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  version: '2',
  client_id: '3n4b5urk1ft4fl3mg5e62d9ado',
  origin_jti: 'b0a1',
  token_use: 'access',
  scope: 'openid profile email',
  auth_time: '1767225600',
  exp: '1767229200',
  iat: '1767225600',
  jti: 'c2d3',
  username: '7c1e4b2a-0f0e-4d55-9a61-2f3f8e1d9a10',
  email: 'Grace@Example.org',
};

describe('who a verified token names', () => {
  it('reads a person from Cognito’s access token as API Gateway passes it on', () => {
    expect(callerFromClaims(cognitoClaims)).toEqual({
      subject: cognitoClaims.sub,
      email: 'grace@example.org',
      admin: true,
      cohorts: [],
    });
    const { 'cognito:groups': _, ...inNoGroup } = cognitoClaims;
    expect(callerFromClaims(inNoGroup)).toMatchObject({ admin: false });
    expect(
      callerFromClaims({ ...cognitoClaims, 'cognito:groups': '[organizers admins-lite]' }),
    ).toMatchObject({
      admin: false,
    });
    expect(callerFromClaims({ ...cognitoClaims, 'cognito:groups': '[organizers admins]' })).toMatchObject({
      admin: true,
    });
    // The same claims straight from the JWT: lists are arrays.
    expect(callerFromClaims({ ...cognitoClaims, 'cognito:groups': ['admins'] })).toMatchObject({
      admin: true,
    });
  });

  it('reads a script from its client-credentials scope', () => {
    const script = {
      sub: '5q2ko1mbkggo0r5c4v3cd0rsai',
      client_id: '5q2ko1mbkggo0r5c4v3cd0rsai',
      token_use: 'access',
      scope: 'tandem/cohort:spring-2027 tandem/cohort:autumn-2027 other/cohort:x',
      exp: '1767229200',
    };
    expect(callerFromClaims(script)).toEqual({
      subject: script.sub,
      admin: false,
      cohorts: ['spring-2027', 'autumn-2027'],
    });
    expect(callerFromClaims({ ...script, scope: 'tandem/admin' })).toMatchObject({
      admin: true,
      cohorts: [],
    });
  });

  it('names nobody for an ID token or a token without a subject', () => {
    expect(callerFromClaims({ ...cognitoClaims, token_use: 'id' })).toBeUndefined();
    expect(callerFromClaims({ ...cognitoClaims, sub: '' })).toBeUndefined();
    const { sub: _, ...noSubject } = cognitoClaims;
    expect(callerFromClaims(noSubject)).toBeUndefined();
  });
});

describe('who may act on a cohort', () => {
  const cohorts = new Map([
    ['spring-2027', { program: { organizers: [{ name: 'Grace', email: 'grace@example.org' }] } }],
    ['autumn-2027', { program: { organizers: [{ name: 'Ada', email: 'ada@example.org' }] } }],
  ]);
  const store = { getCohort: async (id: string) => cohorts.get(id) as Cohort | undefined };
  const person = (email: string, admin = false): Caller => ({ subject: email, email, admin, cohorts: [] });
  const script = (...cohortIds: string[]): Caller => ({
    subject: 'client-1',
    admin: false,
    cohorts: cohortIds,
  });
  const refusal = async (caller: Caller, need: Parameters<typeof requireAccess>[1]) => {
    try {
      await requireAccess(caller, need, { store });
    } catch (error) {
      return { code: (error as { code: string }).code, message: (error as Error).message };
    }
    return 'allowed';
  };

  it('lets organizers act on the cohorts whose program lists them, and admins on all', async () => {
    expect(await refusal(person('grace@example.org'), { cohortId: 'spring-2027' })).toBe('allowed');
    expect(await refusal(person('grace@example.org'), { cohortId: 'autumn-2027' })).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusal(person('root@example.org', true), { cohortId: 'autumn-2027' })).toBe('allowed');
    expect(await refusal(person('root@example.org', true), { cohortId: 'no-such-cohort' })).toBe('allowed');
  });

  it('refuses an unknown cohort in the same words as someone else’s', async () => {
    const other = await refusal(person('grace@example.org'), { cohortId: 'autumn-2027' });
    const unknown = await refusal(person('grace@example.org'), { cohortId: 'winter-2099' });
    expect(JSON.stringify(unknown).replace('winter-2099', 'autumn-2027')).toBe(JSON.stringify(other));
  });

  it('lets a script act on the cohorts its scope names, and nothing else', async () => {
    expect(await refusal(script('autumn-2027'), { cohortId: 'autumn-2027' })).toBe('allowed');
    expect(await refusal(script('autumn-2027'), { cohortId: 'spring-2027' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('tandem/cohort:spring-2027'),
    });
  });

  it('lets admins alone launch', async () => {
    expect(await refusal(person('root@example.org', true), { admin: true })).toBe('allowed');
    expect(await refusal(person('grace@example.org'), { admin: true })).toMatchObject({ code: 'forbidden' });
    expect(await refusal(script('spring-2027'), { admin: true })).toMatchObject({ code: 'forbidden' });
  });
});

describe('Cognito’s pre-token-generation trigger', () => {
  const event = (attributes: Record<string, string>) =>
    ({
      version: '2',
      triggerSource: 'TokenGeneration_HostedAuth',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      userName: 'x',
      callerContext: { awsSdkVersion: '1', clientId: 'c' },
      request: { userAttributes: attributes, groupConfiguration: {} },
      response: { claimsAndScopeOverrideDetails: {} },
    }) as unknown as PreTokenGenerationV2TriggerEvent;

  it('puts a verified email in the access token, and an unverified one nowhere', async () => {
    const verified = await preTokenGeneration(event({ email: 'Grace@Example.org', email_verified: 'true' }));
    expect(verified.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      claimsToAddOrOverride: { email: 'grace@example.org' },
    });
    const unverified = await preTokenGeneration(
      event({ email: 'grace@example.org', email_verified: 'false' }),
    );
    expect(unverified.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toBeUndefined();
  });
});
