import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { reportStyles } from '../shared/report/report-html.ts';
import { consoleOutDir } from './security-headers.ts';

const root = join(import.meta.dirname, '..');

/**
 * Builds the console into `out/console`: `index.html`, one script and one stylesheet, each
 * named by its content's hash (cached for ever; `index.html` and `config.json` never are).
 * The stylesheet carries the report's styles too: the report page renders the same sections
 * as `report.html`, with the same code.
 */
export async function buildConsole(outDir = join(root, consoleOutDir)): Promise<{ outDir: string }> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  const script = result.outputFiles[0]?.contents;
  if (!script) throw new Error('esbuild produced no console script');
  // The report's own rules apply inside the report page only (CSS nesting).
  const css = `${await readFile(join(import.meta.dirname, 'styles.css'), 'utf8')}\n.report {\n${reportStyles}}\n`;
  const named = (text: string | Uint8Array, ext: string) =>
    `app-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.${ext}`;
  const scriptName = named(script, 'js');
  const styleName = named(css, 'css');
  const html = (await readFile(join(import.meta.dirname, 'index.html'), 'utf8'))
    .replace('app.js', scriptName)
    .replace('app.css', styleName);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await Promise.all([
    writeFile(join(outDir, scriptName), script),
    writeFile(join(outDir, styleName), css),
    writeFile(join(outDir, 'index.html'), html),
  ]);
  return { outDir };
}

// `node console/build.ts [DIR]`: into DIR (CDK's asset staging), or out/console.
if (import.meta.main) {
  const { outDir } = await buildConsole(process.argv[2]);
  console.log(`Console built in ${outDir}`);
}
