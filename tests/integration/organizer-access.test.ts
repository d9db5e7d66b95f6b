import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import {
  accounts,
  apiResource,
  clients,
  devAdminClient,
  type LocalOidc,
  newSigningKey,
  startLocalOidc,
} from '../../local/oidc/local-oidc-provider.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { createTestTable } from '../support/local-table.ts';
import { clientToken, mintToken, personToken } from '../support/sign-in.ts';
import { startTestApi } from '../support/test-api.ts';

/**
 * Every signed-in route of functions/api/routes.ts, called on the local API (behind its JWT
 * authorizer, as deployed) with no token, an expired one, one from another issuer, a forged
 * one, and as the organizer of another cohort: 401, 401, 401, 401, 403, with the contract's
 * bodies. A route missing from `requests` fails the first test.
 */
const example = parseProgram(readFileSync('examples/program.yaml', 'utf8'));
const today = DateTime.now().setZone(example.timezone).toISODate() ?? '';
const programOf = (id: string, organizer: { name: string; email: string }) => ({
  ...shiftProgram(example, today),
  id,
  organizers: [organizer],
});
const target = 'access-target';
const graces = 'access-graces';
const grace = { name: 'Grace Hopper', email: 'grace@example.org' };
const ada = { name: 'Ada Lovelace', email: 'ada@example.org' };
const csv = readFileSync('examples/applications.csv', 'utf8');
const pair = { mentee: 'tom.hughes@example.com', mentor: 'amara.okafor@example.com' };

/** A well-formed request to each signed-in route, acting on the target cohort (that grace does not organize). */
const requests: Record<string, { path: string; body?: unknown; type?: string }> = {
  'GET /cohorts': { path: '/cohorts' },
  'POST /programs/preview': {
    path: '/programs/preview',
    body: readFileSync('examples/program.yaml', 'utf8'),
    type: 'text/yaml',
  },
  'POST /cohorts': { path: '/cohorts', body: programOf('access-launched', grace) },
  'GET /cohorts/{cohortId}': { path: `/cohorts/${target}` },
  'GET /cohorts/{cohortId}/applicants': { path: `/cohorts/${target}/applicants` },
  'POST /cohorts/{cohortId}/imports': { path: `/cohorts/${target}/imports`, body: csv, type: 'text/csv' },
  'GET /cohorts/{cohortId}/reply-address': {
    path: `/cohorts/${target}/reply-address?email=${pair.mentee}&round=1`,
  },
  'POST /cohorts/{cohortId}/drafts': { path: `/cohorts/${target}/drafts` },
  'GET /cohorts/{cohortId}/drafts/{draft}': { path: `/cohorts/${target}/drafts/latest` },
  'POST /cohorts/{cohortId}/drafts/{draft}/approval': { path: `/cohorts/${target}/drafts/latest/approval` },
  'POST /cohorts/{cohortId}/pins': { path: `/cohorts/${target}/pins`, body: pair },
  'POST /cohorts/{cohortId}/forbids': { path: `/cohorts/${target}/forbids`, body: pair },
  'POST /cohorts/{cohortId}/capacities': {
    path: `/cohorts/${target}/capacities`,
    body: { mentor: pair.mentor, capacity: 1 },
  },
  'POST /cohorts/{cohortId}/resend': { path: `/cohorts/${target}/resend` },
  'GET /cohorts/{cohortId}/report': { path: `/cohorts/${target}/report` },
  'GET /cohorts/{cohortId}/export': { path: `/cohorts/${target}/export` },
  // Admins only; nobody of that address is in any cohort, so letting an admin through erases nothing.
  'POST /erasures': { path: '/erasures', body: { email: 'nobody-here@example.org' } },
  'POST /cohorts/{cohortId}/pause': { path: `/cohorts/${target}/pause` },
  'POST /cohorts/{cohortId}/resume': { path: `/cohorts/${target}/resume` },
  'POST /cohorts/{cohortId}/end': { path: `/cohorts/${target}/end` },
  'POST /cohorts/{cohortId}/restart': { path: `/cohorts/${target}/restart` },
  'POST /cohorts/{cohortId}/extension': { path: `/cohorts/${target}/extension`, body: { weeks: 2 } },
  // The organizer's actions on pairs (an unknown pair: nothing ends).
  'GET /cohorts/{cohortId}/pairs': { path: `/cohorts/${target}/pairs` },
  'POST /cohorts/{cohortId}/pairs/{pairId}/nudge': { path: `/cohorts/${target}/pairs/no-such-pair/nudge` },
  'POST /cohorts/{cohortId}/pairs/{pairId}/close': {
    path: `/cohorts/${target}/pairs/no-such-pair/close`,
    body: { reason: 'a test' },
  },
  'POST /cohorts/{cohortId}/rematches': {
    path: `/cohorts/${target}/rematches`,
    body: { participant: pair.mentee },
  },
  'POST /cohorts/{cohortId}/rematches/approve': { path: `/cohorts/${target}/rematches/approve` },
};
const signedInRoutes = apiRoutes.filter((route) => route.access !== 'public');
const keyOf = (route: (typeof apiRoutes)[number]) => `${route.method} ${route.path}`;
const routeKeys = signedInRoutes.map(keyOf);
/** Routes that act on one cohort (or launch one): the others answer each caller with their own. */
const refusingKeys = signedInRoutes.filter((route) => route.access !== 'signed-in').map(keyOf);

const unauthorized = {
  error: expect.objectContaining({ code: 'unauthorized', message: expect.any(String) }),
};
const forbidden = { error: expect.objectContaining({ code: 'forbidden', message: expect.any(String) }) };

describe('who may call the organizer routes (local API behind its JWT authorizer)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let otherIssuer: LocalOidc;
  let signingKey: JWK;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    signingKey = await newSigningKey();
    table = await createTestTable();
    api = await startTestApi(table.endpoint, table.tableName, { oidc: { signingKey } });
    otherIssuer = await startLocalOidc();
    const now = Math.floor(Date.now() / 1000);
    // An admin's token in every respect but the one under test.
    const adminClaims = {
      iss: api.oidc.issuer,
      aud: apiResource,
      sub: 'dev:admin@example.org',
      client_id: api.oidc.cliClientId,
      token_use: 'access',
      email: 'admin@example.org',
      'cognito:groups': ['admins'],
    };
    const [admin, graceToken, adminPerson, otherIssuers, forgedKey] = await Promise.all([
      clientToken(api.oidc.issuer, devAdminClient()),
      personToken(api.oidc, accountOf(grace.email)),
      personToken(api.oidc, accountOf('admin@example.org')),
      clientToken(otherIssuer.issuer, devAdminClient()),
      newSigningKey(),
    ]);
    Object.assign(tokens, {
      admin,
      grace: graceToken,
      adminPerson,
      otherIssuer: otherIssuers,
      expired: await mintToken(signingKey, { ...adminClaims, iat: now - 7200, exp: now - 3600 }),
      forged: await mintToken(forgedKey, { ...adminClaims, exp: now + 3600 }),
      otherAudience: await mintToken(signingKey, { ...adminClaims, aud: 'urn:another:api', exp: now + 3600 }),
      exampleScript: await clientToken(
        api.oidc.issuer,
        scriptClient('tandem/cohort:data-careers-spring-2027'),
      ),
    });
    for (const program of [programOf(target, ada), programOf(graces, grace)]) {
      expect((await api.call('POST', '/cohorts', program)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await otherIssuer?.stop();
    await api?.stop();
    await table?.drop();
  });

  const send = (token: string | undefined, route: string) => {
    const request = requests[route];
    if (!request) throw new Error(`no request for ${route}`);
    const method = route.split(' ')[0] ?? 'GET';
    return api.callAs(token, method, request.path, request.body, request.type);
  };

  it('has a request for every signed-in route, and no other', () => {
    expect(Object.keys(requests).sort()).toEqual([...routeKeys].sort());
    // …and every route but the participants' own and sign-in's needs one.
    expect(apiRoutes.filter((route) => route.access === 'public').map((route) => route.path)).toEqual([
      '/cohorts/{cohortId}/applications',
      '/auth/config',
      '/confirm/{token}',
      '/unsubscribe/{token}',
      '/exit/{token}',
    ]);
  });

  describe.each(routeKeys)('%s', (route) => {
    it.each([
      ['no token', undefined],
      ['an expired token', 'expired'],
      ['a token from another issuer', 'otherIssuer'],
      ['a token signed by a key the issuer never used', 'forged'],
      ['a token for another API', 'otherAudience'],
      ['a token that is not a JWT', 'garbage'],
    ])('refuses %s with 401', async (_, name) => {
      const token = name === 'garbage' ? 'not-a-jwt' : name && tokens[name];
      const response = await send(token, route);
      expect(response).toEqual({ status: 401, body: unauthorized });
    });
  });

  describe.each(refusingKeys)('%s', (route) => {
    it('refuses the organizer of another cohort with 403', async () => {
      expect(await send(tokens.grace, route)).toEqual({ status: 403, body: forbidden });
    });

    it('refuses a script whose scope names another cohort with 403', async () => {
      expect(await send(tokens.exampleScript, route)).toEqual({ status: 403, body: forbidden });
    });
  });

  it('lets admins through every route (the refusals above are not all a route can say)', async () => {
    for (const route of routeKeys) {
      const response = await send(tokens.adminPerson, route);
      expect([401, 403], `${route}: ${JSON.stringify(response.body)}`).not.toContain(response.status);
    }
  });

  it('lists each caller only the cohorts they may act on (GET /cohorts refuses nobody signed in)', async () => {
    const listed = async (token: string | undefined) => {
      const response = await api.callAs(token, 'GET', '/cohorts');
      expect(response.status).toBe(200);
      return (response.body as { cohorts: { id: string }[] }).cohorts.map((cohort) => cohort.id);
    };
    const graceSees = await listed(tokens.grace);
    expect(graceSees).toContain(graces);
    expect(graceSees).not.toContain(target);
    expect(await listed(tokens.exampleScript)).not.toContain(target);
    expect(await listed(tokens.adminPerson)).toEqual(expect.arrayContaining([target, graces]));
  });

  it('lets organizers act on their own cohort, and no other', async () => {
    const own = await api.callAs(tokens.grace, 'GET', `/cohorts/${graces}`);
    expect(own.status).toBe(200);
    expect((await api.callAs(tokens.grace, 'POST', `/cohorts/${graces}/drafts`)).status).toBe(201);
    expect((await api.callAs(tokens.grace, 'GET', `/cohorts/${target}`)).status).toBe(403);
  });

  it('never tells a non-admin whether a cohort exists: an unknown one gets the same 403', async () => {
    for (const token of [tokens.grace, tokens.exampleScript]) {
      const known = await api.callAs(token, 'GET', `/cohorts/${target}`);
      const unknown = await api.callAs(token, 'GET', '/cohorts/no-such-cohort');
      expect(unknown.status).toBe(403);
      expect(JSON.stringify(unknown.body).replaceAll('no-such-cohort', target)).toBe(
        JSON.stringify(known.body),
      );
    }
    // Admins may know: for them an unknown cohort is simply not found.
    expect((await api.callAs(tokens.adminPerson, 'GET', '/cohorts/no-such-cohort')).status).toBe(404);
  });

  it('lets a script act on the cohorts its scope names', async () => {
    const example = { ...shiftProgram(parseProgram(readFileSync('examples/program.yaml', 'utf8')), today) };
    expect((await api.call('POST', '/cohorts', example)).status).toBe(201);
    const status = await api.callAs(tokens.exampleScript, 'GET', `/cohorts/${example.id}`);
    expect(status.status).toBe(200);
    // …but launching takes an admin.
    expect(
      (await api.callAs(tokens.exampleScript, 'POST', '/cohorts', programOf('x-y-z', grace))).status,
    ).toBe(403);
  });

  it('takes a token as API Gateway does: with or without "Bearer"', async () => {
    const response = await fetch(`${api.url}/cohorts/${graces}`, {
      headers: { authorization: tokens.grace ?? '' },
    });
    expect(response.status).toBe(200);
  });
});

function accountOf(email: string) {
  const account = accounts.find((a) => a.email === email);
  if (!account) throw new Error(`no dev account ${email}`);
  return account;
}

/** The dev script client with exactly this scope. */
function scriptClient(scope: string) {
  for (const client of clients) {
    if (client.kind === 'script' && client.scope.join(' ') === scope) {
      return { clientId: client.clientId, clientSecret: client.secret };
    }
  }
  throw new Error(`no dev script client with scope ${scope}`);
}
