import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { devAdminClient } from '../../local/oidc/local-oidc-provider.ts';
import { projectRoot, runCli, stackTraceLine, startCli } from '../support/cli.ts';
import { clientToken } from '../support/sign-in.ts';
import { tempDir } from '../support/temp-dirs.ts';

/**
 * An organizer walks the example cohort — whose dates lie months ahead — through every phase
 * by hand: `tandem dev`, then the CLI, moving the dev stack's virtual clock with
 * `tandem clock advance`, to the report, the export and, once the retention period has passed,
 * the purge.
 */
describe('tandem dev with its virtual clock, driven by the CLI', () => {
  it('walks a cohort from intake to its report and its purge', async () => {
    const dir = tempDir('tandem-dev-clock-');
    for (const file of ['program.yaml', 'applications.csv'])
      copyFileSync(join(projectRoot, 'examples', file), join(dir, file));
    const cohort = 'data-careers-spring-2027';
    // Nobody signed in: the clock asks for no token; the organizer's commands run as the dev admin script.
    const config = tempDir('tandem-config-');
    const admin = devAdminClient();
    const signedIn = {
      XDG_CONFIG_HOME: config,
      TANDEM_CLIENT_ID: admin.clientId,
      TANDEM_CLIENT_SECRET: admin.clientSecret,
    };
    const tandem = async (...args: string[]) => {
      const result = await runCli(args, {
        cwd: dir,
        env: args[0] === 'clock' ? { XDG_CONFIG_HOME: config } : signedIn,
      });
      expect(result.stderr, args.join(' ')).not.toMatch(stackTraceLine);
      return result;
    };
    const ok = async (...args: string[]) => {
      const result = await tandem(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    type Status = { phase: string; personalData: { keptUntil: string; purgedAt?: string } };
    const status = async (): Promise<Status> => JSON.parse(await ok('status', cohort, '--json'));
    /**
     * The workflow catches up with the clock in moments: wait for it to get there. The bound is
     * well under the test's own timeout, so a stall fails here, saying where, and `finally`
     * still stops `tandem dev` (a test that times out never reaches it).
     */
    const until = async (what: string, test: (s: Status) => boolean) => {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (test(await status())) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error(`the cohort never got to: ${what}; its status: ${JSON.stringify(await status())}`);
    };
    const localStack = () => JSON.parse(readFileSync(join(dir, '.local', 'stack.json'), 'utf8'));
    const inbox = async () => {
      const { inboxUrl } = localStack();
      const { emails } = (await (await fetch(`${inboxUrl}store`)).json()) as {
        emails: { subject: string; body: { text?: string } }[];
      };
      return emails;
    };

    const dev = await startCli(['dev', '--fresh'], /Press Ctrl-C to stop/, { cwd: dir });
    try {
      expect(dev.output()).toMatch(/Virtual clock\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC, real time/);
      const start = JSON.parse(await ok('clock', '--json'));
      expect(start.speed).toBe(1);
      expect(Math.abs(Date.parse(start.now) - Date.now())).toBeLessThan(60_000);

      const wrong = await tandem('clock', 'advance', '2x');
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('Cannot move the clock by "2x"');
      expect(wrong.stderr).toContain('hint: write an amount and a unit');
      const backwards = await tandem('clock', 'advance', '2020-01-01');
      expect(backwards.code).toBe(1);
      expect(backwards.stderr).toContain('time only moves forward');

      await ok('launch', 'program.yaml');
      // A token taken now lives its hour of real time, however far the clock is moved meanwhile.
      const { apiUrl, signIn } = localStack();
      const token = await clientToken(signIn.issuer, admin);
      // Intake opens on 4 January 2027: the organizer moves the clock there.
      expect(await ok('clock', 'advance', '2027-01-04')).toMatch(/→ Monday 2027-01-04 00:00 UTC/);
      await ok('import', 'applications.csv', '--cohort', cohort);
      // A day later the workflow's daily sweep has asked everyone to confirm; they all do.
      await ok('clock', 'advance', '1d');
      let links: string[] = [];
      for (let attempt = 0; attempt < 120 && links.length < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        links = (await inbox()).flatMap(
          (e) => /(https?:\/\/\S+\/confirm\/[a-z2-7]+)/.exec(e.body.text ?? '')?.[1] ?? [],
        );
      }
      expect(links).toHaveLength(20);
      for (const link of links) expect((await fetch(link, { method: 'POST' })).status).toBe(200);

      await ok('clock', 'advance', '3w');
      await until('the review of the match draft', (s) => s.phase === 'review');
      await ok('approve', cohort);
      await until('the running cohort', (s) => s.phase === 'running');
      // Six months of check-ins go out as the clock passes them, with no reply: all in a moment.
      await ok('clock', 'advance', '7mo');
      await until('the close-out', (s) => s.phase === 'closed');
      const withOldToken = await fetch(`${apiUrl}/cohorts/${cohort}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(withOldToken.status).toBe(200);
      // The report goes out in the step after the close (which first ends the reply keys).
      const reported = async () =>
        (await inbox()).some((e) => e.subject.includes('is over: the cohort report'));
      for (let attempt = 0; attempt < 120 && !(await reported()); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await reported()).toBe(true);

      const reportDir = join(dir, 'report');
      expect(await ok('report', cohort, '--out', reportDir)).toContain('20 participants, 9 pairs');
      for (const file of ['report.html', 'report.json', 'pairs.csv', 'rounds.csv'])
        expect(existsSync(join(reportDir, file)), file).toBe(true);
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'));
      expect(report.rounds).toHaveLength(12);
      // Nobody answers: both sides of every pair are silent, so the engagement ladder takes each
      // pair to the organizers' alert and no further (they decide); the check-ins go on.
      expect(report.rounds.every((r: { checkedIn: number }) => r.checkedIn > 0)).toBe(true);
      expect(report.ladder).toMatchObject({ organizerAlerted: 9, closeOffered: 0, closedNoFault: 0 });
      expect(readFileSync(join(reportDir, 'pairs.csv'), 'utf8')).toContain('tom.hughes@example.com');

      const exportDir = join(dir, 'export');
      await ok('export', cohort, '--out', exportDir);
      const participants = parse(readFileSync(join(exportDir, 'participants.csv'), 'utf8'), {
        columns: true,
      });
      expect(participants).toHaveLength(20);
      expect((await status()).personalData.keptUntil).toBe('2027-10-29');

      // Ninety days after the last day, the cohort's personal data goes; its report stays.
      await ok('clock', 'advance', '3mo');
      await until('the purge', (s) => Boolean(s.personalData.purgedAt));
      const keptDir = join(dir, 'kept');
      expect(await ok('report', cohort, '--out', keptDir)).toContain('personal data purged');
      const kept = readFileSync(join(keptDir, 'report.json'), 'utf8');
      expect(JSON.parse(kept).rounds).toEqual(report.rounds);
      for (const file of ['report.json', 'report.html', 'pairs.csv'])
        expect(readFileSync(join(keptDir, file), 'utf8')).not.toMatch(/Tom Hughes|tom\.hughes@example\.com/);
      const late = await tandem('export', cohort, '--out', join(dir, 'late'));
      expect(late.code).toBe(1);
      expect(late.stderr).toContain('was purged on');
    } finally {
      dev.child.kill('SIGINT');
      await new Promise((resolve) => dev.child.once('exit', resolve));
    }
    // The clock is kept with the database: the next `tandem dev` goes on from there.
    expect(JSON.parse(readFileSync(join(dir, '.local', 'clock.json'), 'utf8')).now >= '2027-10-31').toBe(
      true,
    );
  });
});
