import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation, type SimulationRun } from '../../local/simulation/simulation.ts';
import { buildReport } from '../../local/simulation/simulation-report.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { ledgerHeader, parseLedgerId } from '../../shared/email/outbound-email.ts';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { reportFiles } from '../../shared/report/report-files.ts';
import { keepScreenshot, launchChromium, screenshotDir, watchPage } from '../support/browser.ts';
import { projectRoot } from '../support/cli.ts';
import { oracleFigures, reportFigures, scanTable } from '../support/report-oracle.ts';

/**
 * The main job's report: the default simulated cohort (`npm start`: 60 people, seed 42), its
 * report computed through the ports and again, simply, from the table's items; what its world
 * of people must show (every rung of the ladder, a rematch carried out, the NPS…); then its
 * page, opened in headless Chromium as an organizer opens the attachment — on a laptop and on
 * a phone — with no request and no error.
 */
describe('the cohort report of a simulated cohort', () => {
  let run: SimulationRun & { finish(): Promise<void> };
  let data: CohortReportData;
  let items: Record<string, unknown>[];
  const folder = join(screenshotDir, 'cohort-report');

  beforeAll(async () => {
    const program = await loadProgramFile(join(projectRoot, 'examples', 'program.yaml'));
    run = await runSimulation({ program, participants: 60, seed: 42, speed: 2_592_000 });
    data = await buildReport(run);
    items = await scanTable(createDocumentClient(), run.stack.tableName);
    await mkdir(folder, { recursive: true });
    for (const [name, content] of Object.entries(reportFiles(data)))
      await writeFile(join(folder, name), content);
    // A whole six-month cohort of 60 people: under a minute alone, longer on a busy machine.
  }, 300_000);
  afterAll(() => run?.finish());

  it('agrees with a second computation from the table’s items', () => {
    expect(reportFigures(data.report)).toEqual(oracleFigures(items, run.cohortId));
    expect(data.report.overall.answered).toBeGreaterThan(50);
    expect(data.report.emails['organizer-report']).toBe(1);
  });

  it('shows what people do: every rung of the ladder, a rematch carried out mid-cohort, an organizer answering the digest, a pair ended at the mid-point, the NPS', () => {
    const { report } = data;
    // Some pairs fade or ghost: each rung is reached by at least one pair, and a pair it closed rematched.
    for (const [rung, pairs] of Object.entries(report.ladder)) expect(pairs, rung).toBeGreaterThan(0);
    // A new pair introduced mid-cohort, from the rematch queue.
    expect(report.rematches.length).toBeGreaterThan(0);
    const round = report.rematches[0]?.round ?? 0;
    expect(round).toBeGreaterThan(1);
    expect(report.pairs.fromRematch).toBe(report.rematches.length);
    const introduced = run.emails.filter((email) => {
      const key = parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '');
      return key?.kind === 'match-announcement' && key.round === round;
    });
    expect(introduced.length).toBeGreaterThanOrEqual(2);
    // The ladder's emails went out.
    for (const kind of ['partner-check', 'close-offer', 'pair-closed'])
      expect(report.emails[kind] ?? 0, kind).toBeGreaterThan(0);
    // The organizer acted by replying to the digest, and was told what was done.
    expect(run.repliesSent['organizer commands']).toBeGreaterThan(0);
    expect(report.emails['organizer-confirmation']).toBe(run.repliesSent['organizer commands']);
    // A pair that asked to end at the mid-point review was closed by the organizer's reply, with a thank-you to both.
    const midpoint = report.endings.filter((ending) => ending.kind === 'midpoint');
    expect(midpoint.length).toBeGreaterThan(0);
    expect(report.emails['midpoint-thanks']).toBe(2 * midpoint.length);
    // The close-out survey's answers: the NPS.
    expect(report.nps.responses).toBeGreaterThan(10);
    expect(report.nps.score).not.toBeNull();
  });

  it('opens in Chromium as one self-contained page, readable on a laptop and on a phone', async () => {
    const browser = await launchChromium();
    try {
      const url = pathToFileURL(join(folder, 'report.html')).href;
      for (const [name, width] of [
        ['laptop', 1280],
        ['phone', 390],
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        // The page itself is the one request allowed: nothing else, not a font, not an icon.
        const problems = watchPage(page, (requested) => requested === url);
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForTimeout(300);
        expect(problems, name).toEqual([]);
        expect(await page.locator('h1').textContent()).toBe(data.report.program);
        for (const heading of [
          'Rounds',
          'Usefulness per round',
          'Engagement ladder',
          'Match scores',
          'Mid-point review',
          'Close-out survey',
          'Topics most discussed',
          'Exits and rematches',
        ])
          expect(await page.getByRole('heading', { name: heading, exact: true }).count(), heading).toBe(1);
        // Every chart is an image with a name and a description a screen reader can say.
        const charts = page.locator('svg[role="img"]');
        expect(await charts.count()).toBeGreaterThanOrEqual(8);
        for (const chart of await charts.all()) {
          const ids = (await chart.getAttribute('aria-labelledby'))?.split(' ') ?? [];
          expect(ids).toHaveLength(2);
          for (const id of ids)
            expect((await page.locator(`[id="${id}"]`).textContent())?.trim(), id).not.toBe('');
        }
        // Nothing wider than the screen: no sideways scrolling on a phone.
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        await keepScreenshot(page, `cohort-report-${name}`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
