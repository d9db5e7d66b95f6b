import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devAdminClient } from '../../local/oidc/local-oidc-provider.ts';
import { runCli, stackTraceLine, startCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dirs.ts';

const cohort = 'handmade-2027';
const grace = 'grace@handmade.example';
const program = `name: Hand-made Mentoring
id: ${cohort}
organizers: [{ name: Grace Hopper, email: ${grace} }]
sender: { address: mentoring@handmade.example, name: Hand-made Mentoring }
intake: { opens: 2027-01-04, closes: 2027-01-10 }
start: 2027-01-18
lengthMonths: 2
cadence: weekly
mentorCapacity: 1
`;
const people = [
  ['ana', 'mentee', 'Alpha'],
  ['ben', 'mentee', 'Beta'],
  ['cleo', 'mentee', 'Gamma'],
  ['dev', 'mentor', 'Delta'],
  ['eve', 'mentor', 'Epsilon'],
  ['finn', 'mentor', 'Zeta'],
  ['gus', 'mentor', 'Eta'],
] as const;
const email = (name: string) => `${name}@handmade.example`;
const applications = [
  'email,name,role,organization,years_experience,topics,timezone,languages,capacity,preferred,avoid',
  ...people.map(
    ([name, role, org]) =>
      `${email(name)},${name[0]?.toUpperCase()}${name.slice(1)} Hand,${role},${org},${role === 'mentor' ? 8 : 2},data engineering;SQL,UTC,English,,,`,
  ),
].join('\n');

interface PairRow {
  pairId: string;
  status: string;
  origin: string;
  startRound: number;
  mentee: { email: string };
  mentor: { email: string };
}
interface Captured {
  subject: string;
  replyTo?: string[];
  destination: { to: string[] };
  body: { text?: string };
}

/**
 * An organizer runs a hand-made cohort with `npm run dev` and the CLI alone, the CLI also
 * playing the participants (`tandem send-reply`): seven people confirm by reply, are matched
 * and introduced; a mentee asks for a rematch and the organizer approves the new partner; the
 * organizer closes another pair at no one's fault and approves its rematch by replying
 * `approve` to the digest; the cohort runs to its end and `tandem report` tells the story.
 */
describe('an organizer drives a hand-made cohort on the dev stack with the CLI', () => {
  it('through a rematch, a no-fault close, a reply to the digest and the report', async () => {
    const dir = tempDir('tandem-organizer-');
    writeFileSync(join(dir, 'program.yaml'), program);
    writeFileSync(join(dir, 'applications.csv'), `${applications}\n`);
    const config = tempDir('tandem-config-');
    const admin = devAdminClient();
    const env = {
      XDG_CONFIG_HOME: config,
      TANDEM_CLIENT_ID: admin.clientId,
      TANDEM_CLIENT_SECRET: admin.clientSecret,
    };
    const ok = async (...args: string[]) => {
      const result = await runCli(args, { cwd: dir, env });
      expect(result.stderr, args.join(' ')).not.toMatch(stackTraceLine);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '--json')) as T;
    const phase = async () => (await json<{ phase: string }>('status', cohort)).phase;
    const eventually = async <T>(what: string, get: () => Promise<T | undefined>): Promise<T> => {
      for (let attempt = 0; attempt < 240; attempt++) {
        const found = await get();
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error(`never happened: ${what}`);
    };
    const inbox = async (): Promise<Captured[]> => {
      const { inboxUrl } = JSON.parse(readFileSync(join(dir, '.local', 'stack.json'), 'utf8'));
      return ((await (await fetch(`${inboxUrl}store`)).json()) as { emails: Captured[] }).emails;
    };
    const mailTo = async (to: string, subject: string) =>
      (await inbox()).filter(
        (e) => e.destination.to.some((d) => d.includes(to)) && e.subject.includes(subject),
      );
    /** A participant answers their email of this round, as `tandem send-reply` lets the CLI play them. */
    const reply = async (name: string, round: number, text: string) => {
      const to = (await ok('reply-address', cohort, '--email', email(name), '--round', String(round))).trim();
      return JSON.parse(await ok('send-reply', '--from', email(name), '--to', to, '--text', text, '--json'));
    };
    const pairs = async () => (await json<{ pairs: PairRow[] }>('pairs', cohort)).pairs;

    const dev = await startCli(['dev', '--fresh'], /Press Ctrl-C to stop/, { cwd: dir });
    try {
      await ok('launch', 'program.yaml');
      await ok('clock', 'advance', '2027-01-04');
      await ok('import', 'applications.csv', '--cohort', cohort);
      for (const [name] of people)
        expect(await reply(name, 0, 'confirm')).toMatchObject({ outcome: 'confirmed' });

      await ok('clock', 'advance', '2027-01-11');
      await eventually('the match draft', async () => ((await phase()) === 'review' ? true : undefined));
      await ok('approve', cohort);
      await eventually('the running cohort', async () => ((await phase()) === 'running' ? true : undefined));
      // The introductions on the 18th, the first check-in on the 25th.
      await ok('clock', 'advance', '2027-01-26');
      await eventually('check-in 1', async () =>
        (await mailTo(email('ana'), 'heck-in 1')).length ? true : undefined,
      );
      const matched = await pairs();
      expect(matched).toHaveLength(3);
      const table = await ok('pairs', cohort);
      expect(table).toMatch(/^PAIR\s+STATUS\s+LADDER\s+LAST MEETING\s+LAST ANSWER\s+MENTEE & MENTOR$/m);
      expect(table).toContain('Cleo Hand & ');
      expect(await ok('pairs', cohort, '--at-risk')).toBe('No pair is at risk.\n');
      const cleo = matched.find((p) => p.mentee.email === email('cleo'));
      expect(await ok('nudge', cohort, '--pair', cleo?.pairId ?? '')).toBe(
        `✓ Nudged ${email('cleo')} and ${cleo?.mentor.email} about check-in 1.\n`,
      );
      const free = people
        .map(([name]) => email(name))
        .filter(
          (address) => address.match(/dev|eve|finn|gus/) && !matched.some((p) => p.mentor.email === address),
        );
      expect(free).toHaveLength(1);

      // Ana asks for a new mentor: her pair ends; the free mentor is proposed, the organizer approves.
      const anaBefore = matched.find((p) => p.mentee.email === email('ana'));
      expect(await reply('ana', 1, 'rematch please')).toMatchObject({
        outcome: 'recorded',
        intent: 'rematch',
      });
      expect(await ok('approve-rematch', cohort)).toContain(
        `✓ ${email('ana')} & ${free[0]}: introduced, from check-in 2`,
      );
      await eventually('Ana’s new introduction', async () =>
        (await mailTo(email('ana'), 'Meet your mentor')).length === 2 ? true : undefined,
      );

      // The organizer closes Ben's pair at no one's fault; Ana's old mentor is free for him.
      const ben = (await pairs()).find((p) => p.mentee.email === email('ben') && p.status === 'active');
      const closed = await ok(
        'close-pair',
        cohort,
        '--pair',
        ben?.pairId ?? '',
        '--reason',
        'they could not find a time',
      );
      expect(closed).toContain(`✓ Closed the pair ${email('ben')}`);
      expect(closed).toContain(`proposed: ${email('ben')} with mentor ${anaBefore?.mentor.email}`);

      // Check-in 1 closes: the digest asks for the approval, and the organizer replies `approve`.
      await ok('clock', 'advance', '2027-02-01T12:00:00Z');
      const digest = await eventually(
        'the digest of check-in 1',
        async () => (await mailTo(grace, 'digest for check-in 1'))[0],
      );
      expect(digest.body.text).toContain('Rematches waiting for your approval');
      expect(digest.body.text).not.toContain('tandem status');
      const answer = JSON.parse(
        await ok(
          'send-reply',
          '--from',
          grace,
          '--to',
          digest.replyTo?.[0] ?? '',
          '--text',
          'approve',
          '--json',
        ),
      );
      expect(answer).toMatchObject({ outcome: 'organizer_command' });
      const confirmation = await eventually(
        'the confirmation',
        async () => (await mailTo(grace, 'what your reply did'))[0],
      );
      expect(confirmation.body.text).toContain('- approve: 1 new pair introduced');
      const now = await pairs();
      expect(
        now
          .filter((p) => p.origin === 'rematch')
          .map((p) => [p.mentee.email, p.startRound])
          .sort(),
      ).toEqual([
        [email('ana'), 2],
        [email('ben'), 2],
      ]);

      // The cohort runs to its end; the report tells what happened.
      await ok('clock', 'advance', '2mo');
      await eventually('the close-out', async () => ((await phase()) === 'closed' ? true : undefined));
      await eventually('the report to the organizers', async () =>
        (await mailTo(grace, 'the cohort report')).length ? true : undefined,
      );
      const out = join(dir, 'report');
      await ok('report', cohort, '--out', out);
      for (const file of ['report.html', 'report.json', 'pairs.csv', 'rounds.csv'])
        expect(existsSync(join(out, file)), file).toBe(true);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      const rematched = (
        report.rematches as { participant: string; previousPartner: string; newPartner: string }[]
      ).filter((r) => r.participant === email('ana') || r.participant === email('ben'));
      expect(rematched).toEqual([
        expect.objectContaining({
          participant: email('ana'),
          previousPartner: anaBefore?.mentor.email,
          newPartner: free[0],
        }),
        expect.objectContaining({ participant: email('ben'), newPartner: anaBefore?.mentor.email }),
      ]);
      expect(report.endings).toContainEqual(
        expect.objectContaining({ kind: 'organizer', reason: 'they could not find a time' }),
      );
      expect(report.endings).toContainEqual(expect.objectContaining({ kind: 'rematch-request' }));
    } finally {
      dev.child.kill('SIGINT');
      await new Promise((resolve) => dev.child.once('exit', resolve));
    }
  });
});
