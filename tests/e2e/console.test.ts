import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { devAdminClient } from '../../local/oidc/local-oidc-provider.ts';
import { keepScreenshot, launchChromium, watchPage } from '../support/browser.ts';
import { projectRoot, runCli, startCli } from '../support/cli.ts';
import { clientToken } from '../support/sign-in.ts';
import { tempDir } from '../support/temp-dirs.ts';

/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core) against the
 * stack `npm run dev` starts: a newcomer signs in with a printed dev account, launches the
 * example cohort, imports its applications, reviews and approves the match draft, watches the
 * cohort run, reads its report and signs out; an organizer of another cohort never sees it.
 * Every page is checked with axe, used with the keyboard, and at phone width; screenshots are
 * kept in out/test-artifacts.
 */
const cohortId = 'data-careers-spring-2027';
const laptop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

describe('the web console, in Chromium, on the npm run dev stack', () => {
  let dir = '';
  let dev: Awaited<ReturnType<typeof startCli>> | undefined;
  let browser: Browser | undefined;
  let consoleUrl = '';
  const accounts = new Map<string, string>();
  const problems: string[] = [];
  let current: Page | undefined;

  const tandem = async (...args: string[]) => {
    const result = await runCli(args, { cwd: dir, env: { XDG_CONFIG_HOME: join(dir, 'config') } });
    expect(result.code, `tandem ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const localStack = () => JSON.parse(readFileSync(join(dir, '.local', 'stack.json'), 'utf8'));
  const eventually = async (what: string, test: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 240; attempt++) {
      if (await test()) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`never happened: ${what}`);
  };
  /** The cohort's phase, as an admin script reads it: only to know when to look again. */
  const phase = async () => {
    const { apiUrl, signIn } = localStack();
    const token = await clientToken(signIn.issuer, devAdminClient());
    const response = await fetch(`${apiUrl}/cohorts/${cohortId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as { phase: string }).phase;
  };

  /** A browser session of its own (cookies, storage) at this size, watched for errors. */
  const newPage = async (viewport = laptop): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await (browser as Browser).newContext({ viewport });
    const page = await context.newPage();
    current = page;
    // The console talks to itself, the API and the sign-in service, and nothing else.
    const { apiUrl, signIn: provider } = localStack();
    const origins = [new URL(consoleUrl).origin, apiUrl, provider.issuer];
    const seen = watchPage(page, (url) => origins.some((origin) => url.startsWith(origin)));
    // A refusal the page explains (403) is a failed load in Chromium's log: only what is wrong counts.
    page.on('close', () =>
      problems.push(
        ...seen.filter(
          (p) =>
            p.startsWith('page error') || p.startsWith('request') || p.includes('Content Security Policy'),
        ),
      ),
    );
    return { context, page };
  };
  const signIn = async (page: Page, email: string) => {
    await page.goto(consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(accounts.get(email) ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cohorts', level: 1 }).waitFor();
  };
  /** axe-core on the page as it is: no serious or critical violation. */
  const accessible = async (page: Page, name: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  };
  /** Nothing wider than the screen: tables scroll inside their own box. */
  const fitsWidth = async (page: Page) =>
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      page.viewportSize()?.width ?? 0,
    );

  beforeAll(async () => {
    dir = tempDir('tandem-console-');
    for (const file of ['program.yaml', 'applications.csv'])
      copyFileSync(join(projectRoot, 'examples', file), join(dir, file));
    dev = await startCli(['dev', '--fresh'], /Press Ctrl-C to stop/, { cwd: dir });
    browser = await launchChromium();
  }, 180_000);
  // A failure leaves its picture beside the others.
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && current && !current.isClosed())
      await keepScreenshot(current, `console-failed-${test.task.name.slice(0, 40).replaceAll(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    if (dev) {
      const exited = new Promise((resolve) => dev?.child.once('exit', resolve));
      dev.child.kill('SIGINT');
      await exited;
    }
  });

  it('prints the console, the API and every dev account, each on its own line', () => {
    const output = dev?.output() ?? '';
    consoleUrl = /^Console: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1] ?? '';
    expect(consoleUrl).not.toBe('');
    expect(output).toMatch(/^API: http:\/\/127\.0\.0\.1:\d+$/m);
    for (const [, email, password] of output.matchAll(/^Sign in: (\S+@\S+) \/ (\S+)$/gm))
      accounts.set(email ?? '', password ?? '');
    expect([...accounts.keys()].sort()).toEqual([
      'ada@example.org',
      'admin@example.org',
      'grace@example.org',
    ]);
  });

  it('takes a newcomer from sign-in through launch, import, review and approval to a running cohort and its pairs', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin@example.org');
    await page.getByText('You organize no cohort yet.').waitFor();
    await accessible(page, 'cohorts (empty)');

    // Launch: a mistake is shown at its line; the real file, its emails, then the launch.
    await page.getByRole('link', { name: 'Launch a cohort' }).click();
    const program = readFileSync(join(dir, 'program.yaml'), 'utf8');
    const broken = program.replace(/^cadence: \w+$/m, 'cadence: sometimes');
    expect(broken).not.toBe(program);
    const brokenLine = broken.split('\n').findIndex((line) => line.startsWith('cadence:')) + 1;
    await page.getByLabel('…or paste it here').fill(broken);
    await page.getByRole('button', { name: 'Check the program' }).click();
    await page.getByRole('alert').getByText(`Line ${brokenLine}:`).waitFor();
    await accessible(page, 'launch (a problem)');
    await page.getByLabel('Program file (YAML or JSON)').setInputFiles(join(dir, 'program.yaml'));
    await page.getByRole('button', { name: 'Check the program' }).click();
    await page.getByRole('heading', { name: /The emails of/ }).waitFor();
    expect(await page.locator('details.email').count()).toBeGreaterThan(5);
    await accessible(page, 'launch (preview)');
    await keepScreenshot(page, 'console-launch-preview');
    await page.getByRole('button', { name: `Launch cohort ${cohortId}` }).click();
    await page.getByRole('heading', { name: 'Data Careers Mentoring, Spring 2027', level: 1 }).waitFor();

    // Intake opens on 4 January 2027: the dev clock moves there; the organizer imports the applications.
    await tandem('clock', 'advance', '2027-01-04');
    await page.getByLabel('Import applications (CSV)').setInputFiles(join(dir, 'applications.csv'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/Imported applications\.csv: 20 new/)
      .waitFor();
    await page.getByText('20 applicants, 0 confirmed').waitFor();

    // A day later everyone was asked to confirm; they all do, by the link in their email.
    await tandem('clock', 'advance', '1d');
    const { inboxUrl } = localStack();
    let links: string[] = [];
    await eventually('20 confirmation emails', async () => {
      const { emails } = (await (await fetch(`${inboxUrl}store`)).json()) as {
        emails: { body: { text?: string } }[];
      };
      links = emails.flatMap(
        (e) => /(https?:\/\/\S+\/confirm\/[a-z2-7]+)/.exec(e.body.text ?? '')?.[1] ?? [],
      );
      return links.length >= 20;
    });
    for (const link of links) expect((await fetch(link, { method: 'POST' })).status).toBe(200);

    // Intake closes; the workflow makes the draft; the console shows it for review.
    await tandem('clock', 'advance', '3w');
    await eventually('the review of the draft', async () => (await phase()) === 'review');
    await page.reload();
    await page.getByRole('button', { name: 'Approve draft 1' }).waitFor();
    await page.getByText('20 applicants, 20 confirmed').waitFor();
    await accessible(page, 'cohort (review)');
    await keepScreenshot(page, 'console-draft');

    // Review: pin a pair, a new draft with it, compared with the first; approve it.
    const firstPair = page
      .getByRole('table', { name: /The pairs of draft 1/ })
      .getByRole('row')
      .nth(1);
    const mentee = (await firstPair.getByRole('rowheader').textContent())?.trim() ?? '';
    await firstPair.getByRole('button', { name: /^Pin / }).click();
    await page.getByRole('status').getByText(`Pinned: ${mentee}`).waitFor();
    await page.getByRole('button', { name: 'Make a new draft' }).click();
    await page.getByRole('heading', { name: 'Compared with draft 1' }).waitFor();
    const pinned = page
      .getByRole('table', { name: /The pairs of draft 2/ })
      .getByRole('row', { name: mentee });
    await pinned.getByText('pinned by the organizer').waitFor();
    await pinned.getByRole('button', { name: `Unpin ${mentee} with`, exact: false }).waitFor();
    // What the README shows: the draft under review, as a laptop's window shows it.
    await page.getByRole('heading', { name: 'Match draft' }).evaluate((h) => h.scrollIntoView());
    await keepScreenshot(page, 'console-review', { fullPage: false });
    await page.getByRole('button', { name: 'Approve draft 2' }).click();
    const approved = page.getByRole('status').getByText(/Draft 2 is approved/);
    await approved.waitFor();
    // The approve button is gone: the focus is on what happened, not lost on the page. (Waits
    // on the focus go through locators: a waitForFunction that has to poll evaluates its
    // predicate in the page, which the console's CSP refuses, without 'unsafe-eval'.)
    await page.locator('.outcome:focus').waitFor();

    // The cohort runs: the introductions, then a check-in every two weeks. The organizer moves
    // the dev clock a week at a time until the cohorts page shows this round's response rate.
    await eventually('the running cohort', async () => (await phase()) === 'running');
    await page.getByRole('link', { name: 'Cohorts' }).first().click();
    const row = page.getByRole('row', { name: /Data Careers Mentoring/ });
    await row.getByText('running').waitFor();
    await eventually('a check-in round', async () => {
      await tandem('clock', 'advance', '1w');
      await page.reload();
      await row.waitFor();
      return /round \d/.test((await row.textContent()) ?? '');
    });
    await accessible(page, 'cohorts (running)');
    await keepScreenshot(page, 'console-cohorts');

    // Nobody answers: the ladder climbs a rung each round until pairs are at risk. The
    // organizer closes one at no one's fault (both wait for a new partner), then approves
    // whatever rematch was proposed.
    await row.getByRole('link').click();
    const atRisk = page.getByRole('table', { name: /pairs at risk/ }).getByRole('row');
    await eventually('a pair at risk', async () => {
      await page.getByLabel('Only pairs at risk').check();
      await page.getByText(/^No pair is at risk\.$|pairs at risk, at-risk ones first/).waitFor();
      if ((await atRisk.count()) > 1) return true;
      await tandem('clock', 'advance', '1w');
      await page.reload();
      return false;
    });
    const pair = atRisk.nth(1);
    await pair.getByRole('button', { name: /^Close the pair of / }).click();
    // The focus moves after the re-render, not during the click: wait for it (or time out).
    await page.locator('[id^="reason-"]:focus').waitFor();
    await page.keyboard.type('Neither has time for it this term');
    await page.getByRole('button', { name: 'Close the pair', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/is closed at no one's fault; both wait for a new partner/)
      .waitFor();
    await page.locator('.outcome:focus').waitFor();
    await accessible(page, 'cohort (pairs)');
    await keepScreenshot(page, 'console-pairs');
    await page.getByRole('button', { name: 'Approve proposed rematches' }).click();
    await page
      .getByRole('status')
      .getByText(/formed and introduced|No rematch was waiting/)
      .waitFor();

    // The report: the same sections and charts as report.html.
    await page.getByRole('link', { name: 'Read the report' }).click();
    await page.locator('.report h1').waitFor();
    expect(await page.locator('.report svg[role="img"]').count()).toBeGreaterThan(3);
    await accessible(page, 'report');
    await keepScreenshot(page, 'console-report');

    // Signing out ends the session: the console asks to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out of Tandem' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('never shows a cohort to an organizer of another cohort', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'ada@example.org');
    await page.getByText('You organize no cohort yet.').waitFor();
    await page.goto(`${consoleUrl}#/cohorts/${cohortId}`);
    await page.getByRole('alert').getByText(`may not act on cohort "${cohortId}"`).waitFor();
    expect(await page.getByRole('heading', { name: 'Data Careers Mentoring, Spring 2027' }).count()).toBe(0);
    await context.close();
  });

  it('is usable with the keyboard alone', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'grace@example.org');
    // The first stop skips to the content; the links follow in reading order.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    // Tab to the cohort's link (once the list is there) and open it: the page takes the focus.
    const name = 'Data Careers Mentoring, Spring 2027';
    await page.getByRole('link', { name }).waitFor();
    let stops = 0;
    while ((await page.evaluate('document.activeElement?.textContent')) !== name) {
      expect(++stops, 'Tab stops before the cohort link').toBeLessThan(10);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Data Careers Mentoring, Spring 2027', level: 1 }).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    await context.close();
  });

  it('reads at phone width', async () => {
    const { context, page } = await newPage(phone);
    await signIn(page, 'grace@example.org');
    await fitsWidth(page);
    await keepScreenshot(page, 'console-phone-cohorts');
    await page.getByRole('link', { name: 'Data Careers Mentoring, Spring 2027' }).click();
    await page.getByRole('heading', { name: 'Applicants' }).waitFor();
    await fitsWidth(page);
    await accessible(page, 'cohort (phone)');
    await keepScreenshot(page, 'console-phone-cohort');
    await context.close();
  });

  it('logged no error and no CSP violation, and called nothing but the console, the API and sign-in', () => {
    expect(problems).toEqual([]);
  });
});
