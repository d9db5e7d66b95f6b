import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestConfirmations } from '../../shared/use-cases/request-confirmation.ts';
import { apiWithCohorts, openProgram } from '../support/api-cohorts.ts';
import { fixedClock } from '../support/local-table.ts';
import { type CapturedEmail, capturedEmails, mailDeps } from '../support/mail-deps.ts';

/**
 * The public form, against people who would misuse it: a stranger who knows someone's email
 * must not be able to rewrite their application, nor learn whether they applied, nor make
 * Tandem mail a list of addresses.
 */
const open = (id: string, limits?: Record<string, number>) => {
  const program = openProgram(id);
  return limits ? { ...program, intake: { ...program.intake, limits } } : program;
};

const application = (email: string, changes: Record<string, unknown> = {}) => ({
  email,
  name: 'Ana Silva',
  role: 'mentee',
  years_experience: 1,
  topics: 'data visualization',
  timezone: 'Europe/Lisbon',
  languages: 'Portuguese; English',
  consent: true,
  ...changes,
});

const linkIn = (email: CapturedEmail | undefined, path: 'confirm' | 'unsubscribe') =>
  new URL(
    new RegExp(`(https?://\\S+/${path}/[a-z2-7]{22})`).exec(email?.body.text ?? '')?.[1] ?? 'http://x/none',
  ).pathname;

describe('changes to an application take effect once its owner confirms them', () => {
  let setup: Awaited<ReturnType<typeof apiWithCohorts>>;
  let table: typeof setup.table;
  let api: typeof setup.api;
  let deps: typeof setup.deps;

  beforeAll(async () => {
    setup = await apiWithCohorts([
      open('changes-test'),
      open('hourly-cap', { applicationsPerHour: 3 }),
      open('unconfirmed-cap', { unconfirmed: 2 }),
      open('email-cap', { confirmationEmailsPerHour: 2 }),
    ]);
    ({ table, api, deps } = setup);
  });
  afterAll(() => setup.stop());

  const apply = (cohort: string, body: unknown) => api.call('POST', `/cohorts/${cohort}/applications`, body);
  const participant = (cohort: string, email: string) => deps.store.getParticipant(cohort, email);

  it('a stranger who knows the email changes nothing; the owner’s confirmation applies the change', async () => {
    const ana = 'ana@changes.example';
    await apply('changes-test', application(ana));
    const [received] = await capturedEmails([ana]);
    expect((await api.call('POST', linkIn(received, 'confirm'), '')).status).toBe(200);
    expect(await participant('changes-test', ana)).toMatchObject({ confirmed: true, role: 'mentee' });

    // Someone else posts a new application for Ana's address.
    const forged = application(ana, {
      name: 'Not Ana',
      role: 'mentor',
      years_experience: 30,
      topics: 'crypto trading',
      avoid: 'mentor@changes.example',
    });
    await apply('changes-test', forged);
    expect(await participant('changes-test', ana)).toMatchObject({
      confirmed: true,
      name: 'Ana Silva',
      role: 'mentee',
      topics: ['data visualization'],
      avoid: [],
    });
    // Ana hears about it, and only her confirmation makes the change.
    const change = (await capturedEmails([ana])).find((email) => email.subject.includes('change'));
    expect(change?.body.text).toContain('crypto trading');
    const path = linkIn(change, 'confirm');
    const page = await api.call('GET', path);
    expect(page.body.html).toContain('crypto trading');
    expect(await participant('changes-test', ana)).toMatchObject({ role: 'mentee' });
    expect((await api.call('POST', path, '')).status).toBe(200);
    expect(await participant('changes-test', ana)).toMatchObject({
      confirmed: true,
      name: 'Not Ana',
      role: 'mentor',
      topics: ['crypto trading'],
    });
    // A confirmation link works once: the change is made, following it again changes nothing.
    expect((await api.call('POST', path, '')).body.html).not.toContain('Sorry');
  });

  it('answers the same whatever the address’s state: new, unconfirmed, confirmed, unchanged', async () => {
    const fresh = 'fresh@changes.example';
    const pending = 'pending@changes.example';
    const confirmed = 'confirmed@changes.example';
    await apply('changes-test', application(pending));
    await apply('changes-test', application(confirmed));
    const [email] = await capturedEmails([confirmed]);
    await api.call('POST', linkIn(email, 'confirm'), '');

    const answers = await Promise.all([
      apply('changes-test', application(fresh)),
      apply('changes-test', application(pending, { topics: 'data engineering' })),
      apply('changes-test', application(confirmed, { topics: 'data engineering' })),
      apply('changes-test', application(confirmed)),
    ]);
    const shapes = answers.map(({ status, body }) => ({
      status,
      body: JSON.parse(JSON.stringify(body).replaceAll(/\w+@changes\.example/g, 'EMAIL')),
    }));
    expect(new Set(shapes.map((shape) => JSON.stringify(shape))).size).toBe(1);
    expect(shapes[0]?.status).toBe(202);
  });

  it('refuses more applications per hour than the cohort allows, with a clear 429', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await apply('hourly-cap', application(`hour${i}@caps.example`)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429]);
    expect(JSON.stringify(answers[3]?.body)).toMatch(/try again in an hour/i);
    expect(await participant('hourly-cap', 'hour3@caps.example')).toBeUndefined();
  });

  it('stops taking new addresses while too many are unconfirmed; a confirmation frees a place', async () => {
    expect((await apply('unconfirmed-cap', application('u1@caps.example'))).status).toBe(202);
    expect((await apply('unconfirmed-cap', application('u2@caps.example'))).status).toBe(202);
    const full = await apply('unconfirmed-cap', application('u3@caps.example'));
    expect(full.status).toBe(429);
    expect(await participant('unconfirmed-cap', 'u3@caps.example')).toBeUndefined();
    const [email] = await capturedEmails(['u1@caps.example']);
    await api.call('POST', linkIn(email, 'confirm'), '');
    expect((await apply('unconfirmed-cap', application('u3@caps.example'))).status).toBe(202);
  });

  it('sends at most so many confirmation emails an hour per cohort; the intake sweep sends the rest later', async () => {
    const people = ['e1@caps.example', 'e2@caps.example', 'e3@caps.example'];
    for (const person of people) expect((await apply('email-cap', application(person))).status).toBe(202);
    expect((await capturedEmails(people)).length).toBe(2);
    expect(await participant('email-cap', 'e3@caps.example')).toMatchObject({ confirmed: false });
    // The next hour's sweep asks the third to confirm.
    const later = mailDeps(table, fixedClock(new Date(Date.now() + 3_700_000).toISOString()));
    await requestConfirmations('email-cap', later);
    expect((await capturedEmails(people)).length).toBe(3);
  });
});
