import { escapeHtml } from './escape-html.ts';

/**
 * A small, accessible HTML page: for people following a link in their email, signing in on
 * the local stack, or back in the browser after `tandem login`. `body` is HTML: escape text
 * into it with `escapeHtml`.
 */
export function htmlPage(title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:-apple-system,'Segoe UI',Roboto,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2933;line-height:1.6}h1{font-size:1.5rem}button{font-size:1rem;padding:.6rem 1.2rem}${style}</style></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** Paragraphs of text, escaped. */
export const paragraphs = (...texts: string[]) =>
  texts.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
