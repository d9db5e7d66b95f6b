/**
 * The child process of `node bench/match.ts --cli`: runs the `tandem` CLI through its entry
 * point, `bin/tandem.mjs`, with the arguments after the figures file, and writes there, at
 * exit, the process's time since it started (module loading included) and its peak memory.
 * Plain JavaScript, like the entry, and imports nothing else, so the figures are the CLI's own.
 *
 *   node bench/run-cli.mjs FIGURES.json match applications.csv --out matches.csv --json
 */
import { writeFileSync } from 'node:fs';

const [node, , figures = 'figures.json', ...args] = process.argv;
process.on('exit', () => {
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  writeFileSync(figures, JSON.stringify({ seconds: performance.now() / 1000, peakMb }));
});
process.argv = [node, 'tandem', ...args];
await import('../bin/tandem.mjs');
