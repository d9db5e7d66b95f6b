import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { escapeHtml } from '../../shared/escape-html.ts';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import type { PreviewEntry } from '../../shared/use-cases/preview-program.ts';
import { action } from '../run.ts';

export function registerPreview(cli: Command): void {
  cli
    .command('preview')
    .description(
      'render every email the program would send, over its whole timeline, as .eml files with an index.html',
    )
    .argument('<program>', 'the program file (YAML or JSON)')
    .requiredOption('--out <dir>', 'folder for the .eml files and index.html')
    .action(
      action(async (file: string, options: { out: string }) => {
        const program = await loadProgramFile(file);
        // Loaded here, not with the CLI: the email templates, Markdown and MIME would slow every
        // other command's start.
        const [{ previewProgram }, { toEml }] = await Promise.all([
          import('../../shared/use-cases/preview-program.ts'),
          import('../../shared/email/eml.ts'),
        ]);
        const entries = previewProgram(program);
        await mkdir(options.out, { recursive: true });
        const names = entries.map(fileName);
        await Promise.all(
          entries.map(async (entry, i) =>
            writeFile(join(options.out, names[i] ?? ''), await toEml(entry.email, entry.sendAt)),
          ),
        );
        await writeFile(join(options.out, 'index.html'), indexPage(program.name, entries, names));
        console.log(`✓ ${entries.length} emails written to ${options.out}/`);
        console.log(`  open ${join(options.out, 'index.html')} to read the whole cohort, in order`);
      }),
    );
}

const fileName = (entry: PreviewEntry) =>
  `${entry.date}-${entry.kind}-${entry.audience}${entry.round > 0 ? `-round-${entry.round}` : ''}.eml`;

function indexPage(programName: string, entries: PreviewEntry[], names: string[]): string {
  const rows = entries
    .map(
      (entry, i) => `<tr>
<td>${entry.date}</td>
<td>${entry.audience}</td>
<td>${entry.kind}${entry.round > 0 ? ` (round ${entry.round})` : ''}</td>
<td><a href="${escapeHtml(names[i] ?? '')}">${escapeHtml(entry.email.subject)}</a></td>
<td>${escapeHtml(entry.trigger ?? 'on the date')}</td>
</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Email preview: ${escapeHtml(programName)}</title>
<style>
body { font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem; color: #1f2933; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
th { background: #f4f5f7; }
</style>
</head>
<body>
<main>
<h1>Email preview: ${escapeHtml(programName)}</h1>
<p>${entries.length} emails, in the order they go out, to a sample mentor, a sample mentee and the organizers. Open an .eml file in any mail program.</p>
<table>
<thead><tr><th scope="col">Date</th><th scope="col">Recipient</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">Sent</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</main>
</body>
</html>
`;
}
