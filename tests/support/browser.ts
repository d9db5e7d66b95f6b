import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { projectRoot } from './cli.ts';

/** Debian's Chromium (README prerequisites): Playwright's own browser download cannot work here. */
export const chromiumPath = '/usr/bin/chromium';

/** Where browser tests keep their screenshots (a test artifact, not committed). */
export const screenshotDir = join(projectRoot, 'out', 'test-artifacts');

/**
 * Headless Chromium as the machines here can run it: no sandbox (root in CI), no GPU, and none
 * of Chromium's own background connections, which this network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Collects what a page must never do: log a console error, throw, or make a request other than
 * those `allowed` says are fine (a self-contained page allows none).
 */
export function watchPage(page: Page, allowed: (url: string) => boolean = () => false) {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && !url.startsWith('about:') && !allowed(url))
      problems.push(`request: ${request.method()} ${url}`);
  });
  return problems;
}

/** Saves a screenshot (of the whole page, or of what the window shows) as a test artifact and returns its path. */
export async function keepScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
