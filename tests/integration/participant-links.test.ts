import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWithCohorts, openProgram } from '../support/api-cohorts.ts';
import { capturedEmails, header } from '../support/mail-deps.ts';

const program = openProgram('links-test');
const ana = 'ana@links.example';

describe('application → confirmation email → confirm and unsubscribe links (HTTP API)', () => {
  let setup: Awaited<ReturnType<typeof apiWithCohorts>>;
  let api: typeof setup.api;
  let deps: typeof setup.deps;

  beforeAll(async () => {
    setup = await apiWithCohorts([program]);
    ({ api, deps } = setup);
  });
  afterAll(() => setup.stop());

  const apply = () =>
    api.call('POST', '/cohorts/links-test/applications', {
      email: ana,
      name: 'Ana Silva',
      role: 'mentee',
      years_experience: 1,
      topics: 'data visualization',
      timezone: 'Europe/Lisbon',
      consent: true,
    });

  it('asks a new applicant to confirm, once, with a link and a reply address', async () => {
    const first = await apply();
    expect(first).toMatchObject({ status: 202, body: { status: 'received' } });
    const again = await apply();
    expect(again).toEqual(first);
    const emails = await capturedEmails([ana]);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe(`Please confirm your application to ${program.name}`);
    expect(emails[0]?.replyTo[0]).toMatch(/^reply\+[a-z2-7]{16}@reply\.test\.localhost$/);
    expect(emails[0]?.body.text).toMatch(new RegExp(`${api.url}/confirm/[a-z2-7]{22}`));
  });

  it('confirms only on POST: a mail scanner opening the link changes nothing', async () => {
    const [email] = await capturedEmails([ana]);
    const path = new URL(/(http:\/\/\S+\/confirm\/[a-z2-7]{22})/.exec(email?.body.text ?? '')?.[1] ?? '')
      .pathname;
    const page = await api.call('GET', path);
    expect(page.status).toBe(200);
    expect(page.body.html).toContain('<button type="submit"');
    expect((await deps.store.getParticipant('links-test', ana))?.confirmed).toBe(false);
    const confirmed = await api.call('POST', path, '');
    expect(confirmed.body.html).toContain('is confirmed');
    expect((await deps.store.getParticipant('links-test', ana))?.confirmed).toBe(true);
    expect((await api.call('POST', path, '')).body.html).toContain('was already confirmed');
    expect((await apply()).status).toBe(202);
    expect(await capturedEmails([ana])).toHaveLength(1);
  });

  it('unsubscribes with one click (RFC 8058), idempotently, and tells the organizer once', async () => {
    const [email] = await capturedEmails([ana]);
    if (!email) throw new Error('no confirmation email');
    const url = /<(http[^>]+)>/.exec(header(email, 'List-Unsubscribe') ?? '')?.[1] ?? '';
    const path = new URL(url).pathname;
    for (let i = 0; i < 2; i++) {
      const response = await api.call(
        'POST',
        path,
        'List-Unsubscribe=One-Click',
        'application/x-www-form-urlencoded',
      );
      expect(response.status).toBe(200);
      expect(response.body.html).toContain('You will get no more emails');
    }
    expect((await deps.store.getParticipant('links-test', ana))?.unsubscribedAt).toBeDefined();
    const notices = (await deps.notices.list('links-test')).filter((n) => n.kind === 'unsubscribe');
    expect(notices).toHaveLength(1);
    const status = await api.call('GET', '/cohorts/links-test');
    expect(status.body).toMatchObject({ participants: { unsubscribed: 1 } });
  });

  it('answers a forged or mistyped link with a readable 404 page', async () => {
    for (const token of ['aaaaaaaaaaaaaaaaaaaaaa', 'not a token']) {
      const response = await api.call('GET', `/unsubscribe/${encodeURIComponent(token)}`);
      expect(response.status).toBe(404);
      expect(response.body.html).toContain('This link is not valid');
    }
  });

  it('prints the same reply address for a participant and round every time', async () => {
    const query = `email=${encodeURIComponent(ana.toUpperCase())}&round=0`;
    const first = await api.call('GET', `/cohorts/links-test/reply-address?${query}`);
    const second = await api.call('GET', `/cohorts/links-test/reply-address?${query}`);
    expect(first.body.address).toMatch(/^reply\+[a-z2-7]{16}@reply\.test\.localhost$/);
    expect(second.body.address).toBe(first.body.address);
    const [email] = await capturedEmails([ana]);
    expect(email?.replyTo[0]).toBe(first.body.address);
    const unknown = await api.call('GET', '/cohorts/links-test/reply-address?email=nobody@x.example&round=1');
    expect(unknown.status).toBe(404);
  });
});
