import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { apiGatewayEvent, lambdaContext } from '../../local/local-api.ts';
import { apiWithCohorts, openProgram } from '../support/api-cohorts.ts';
import { capturedEmails } from '../support/mail-deps.ts';

/**
 * The public application route is the one anyone on the internet can call. 10,000 hostile
 * bodies, generated: each is refused with a 4xx that says what is wrong, none is stored, and
 * nobody is emailed.
 */
const program = openProgram('hostile-intake');

const valid = {
  // An address of this file's own: the SES inbox is shared by every test file, and
  // intake-api.test.ts applies with noor.hassan@example.com for real.
  email: 'noor.hassan@hostile-intake.example',
  name: 'Noor Hassan',
  role: 'mentee',
  years_experience: 1,
  topics: ['data engineering'],
  timezone: 'Africa/Cairo',
  languages: 'Arabic; English',
  consent: true,
};

/** Values of the wrong type for any field (`true` is right for consent, so never that). */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.constant(false),
  // Never a number of years (0 to 60): that one is right.
  fc.double().filter((n) => !(n >= 0 && n <= 60)),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Strings an attacker puts where an address goes: none is one. */
const hostileEmail = fc.oneof(
  fc.constantFrom(
    'victim@example.com\r\nBcc: everyone@example.com',
    'victim@example.com\nSubject: hi',
    '"><script>alert(1)</script>@example.com',
    "' OR '1'='1",
    'victim@example.com,other@example.com',
    'victim@example.com; other@example.com',
    'Victim <victim@example.com>',
    'victim@@example.com',
    '@example.com',
    'victim@',
    'victim＠example.com',
    '../../etc/passwd',
    'victim@example.com\u0000',
    ' ',
    '',
  ),
  fc.string({ maxLength: 40 }).filter((s) => !s.includes('@')),
  fc.nat({ max: 20_000 }).map((n) => `${'a'.repeat(300 + n)}@example.com`),
  fc.string({ minLength: 1, maxLength: 10 }).map((s) => `${s}\r\n@example.com`),
);

/** A field made invalid in a way that alone refuses the application. */
const fatal = fc.oneof(
  // Blank lists are allowed (`languages: null` is no language): not those.
  fc.record({
    field: fc.constantFrom(...Object.keys(valid).filter((field) => field !== 'languages')),
    value: wrongType,
  }),
  fc.record({ field: fc.constant('email'), value: hostileEmail }),
  fc.record({ field: fc.constant('consent'), value: fc.constantFrom(false, 'yes', 1, 'true', null) }),
  fc.record({ field: fc.constant('role'), value: fc.constantFrom('admin', 'organizer', '', 'MENTOR\u0000') }),
  fc.record({
    field: fc.constant('years_experience'),
    value: fc.constantFrom(-1, 61, 1e308, Number.MAX_SAFE_INTEGER, '1e3', 'NaN', 'Infinity', '0x10'),
  }),
  fc.record({
    field: fc.constant('timezone'),
    value: fc.constantFrom('Mars/Base', '../../etc/passwd', 'Europe/Berlin; UTC', 'UTC; DROP TABLE', ''),
  }),
  fc.record({
    field: fc.constant('topics'),
    value: fc.oneof(
      fc.constant([]),
      fc.nat({ max: 5_000 }).map((n) => Array.from({ length: 11 + n }, (_, i) => `topic ${i}`)),
      fc.nat({ max: 5_000 }).map((n) => ['x'.repeat(81 + n)]),
    ),
  }),
  fc.record({ field: fc.constant('name'), value: fc.constantFrom('', '   ', 'x'.repeat(121)) }),
);

/** Changes that alone may be harmless, added on top: odd keys, control characters, prototype keys. */
const noise = fc.oneof(
  fc.record({
    field: fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'confirmed'),
    value: wrongType,
  }),
  fc.record({ field: fc.constant('name'), value: fc.string({ maxLength: 60, unit: 'binary' }) }),
  fc.record({ field: fc.constant('organization'), value: fc.string({ maxLength: 60, unit: 'grapheme' }) }),
);

/** A raw request body: an application with mutations, or something that is no application at all. */
const hostileBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.array(fatal, { minLength: 1, maxLength: 3 }), fc.array(noise, { maxLength: 2 }))
      .map(([fatals, noises]) => {
        const body: Record<string, unknown> = { ...valid };
        // Noise first: a fatal change to the same field wins.
        for (const { field, value } of [...noises, ...fatals]) {
          Object.defineProperty(body, field, { value, enumerable: true, configurable: true, writable: true });
        }
        return JSON.stringify(body);
      }),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('', ' ', 'null', 'true', '[]', '"application"', '{"email":', '{}', 'NaN', '\u0000'),
      fc.json({ maxDepth: 3 }).filter((text) => !text.trim().startsWith('{')),
      fc.nat({ max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
      fc.nat({ max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      fc.nat({ max: 40_000 }).map((n) => JSON.stringify({ ...valid, name: 'x'.repeat(16_400 + n) })),
    ),
  },
);

describe('10,000 hostile bodies on the public application route', () => {
  let setup: Awaited<ReturnType<typeof apiWithCohorts>>;

  beforeAll(async () => {
    setup = await apiWithCohorts([program]);
  });
  afterAll(() => setup.stop());

  it('refuses every one with a clear 4xx, stores nothing and emails nobody', async () => {
    // The route's own function, as API Gateway invokes it (HTTP to a local server would cost
    // more than the handler: the bodies, not the transport, are under test).
    const route = apiRoutes.find((r) => r.handler === 'submit-application');
    if (!route) throw new Error('no application route');
    const { handler } = await import('../../functions/api/submit-application.ts');
    const url = new URL(`http://localhost/cohorts/${program.id}/applications`);
    const bodies = fc.sample(hostileBody, { numRuns: 10_000, seed: 1313 });
    const refusals = [];
    for (const body of bodies) {
      const event = apiGatewayEvent({
        method: 'POST',
        url,
        route,
        pathParameters: { cohortId: program.id },
        headers: { 'content-type': 'application/json' },
        body,
      });
      const response = await handler(event, lambdaContext(route));
      const status = response.statusCode ?? 200;
      const answer = JSON.parse(response.body ?? '{}') as { error?: { code?: string; message?: string } };
      const clear =
        status >= 400 &&
        status < 500 &&
        Boolean(answer.error?.code && answer.error.message) &&
        !/\n\s+at /.test(answer.error?.message ?? '');
      if (!clear) refusals.push({ body: body.slice(0, 300), status, answer });
    }
    expect(refusals.slice(0, 3)).toEqual([]);
    expect(await setup.deps.store.listParticipants(program.id)).toEqual([]);
    expect(await capturedEmails([valid.email])).toEqual([]);
  });
});
