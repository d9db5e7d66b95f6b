import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.ts';

/** Issue 12: the whole console's JavaScript, gzipped, at most 150 KB. */
const budgetBytes = 150 * 1024;

describe('the web console build', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships at most 150 KB of JavaScript, gzipped, for the whole console', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-console-'));
    await buildConsole(dir);
    const files = await readdir(dir);
    const scripts = files.filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // Every script the page loads is among the built files: nothing fetched from elsewhere.
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    for (const src of html.matchAll(/<script[^>]*\bsrc="\/([^"]+)"/g)) expect(files).toContain(src[1]);
    let gzipped = 0;
    for (const script of scripts) gzipped += gzipSync(await readFile(join(dir, script)), { level: 9 }).length;
    console.log(`console JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });
});
