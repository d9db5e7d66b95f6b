import Handlebars from 'handlebars';
import { marked } from 'marked';
import { escapeHtml } from '../escape-html.ts';
import {
  defaultTemplates,
  type EmailTemplate,
  type TemplateId,
  type Tone,
  tonePartials,
} from './default-templates.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Values a template can use; see default-templates.ts for the names. */
export type EmailContext = Record<string, unknown> & {
  program: { name: string };
  links?: { unsubscribe?: string; [name: string]: string | undefined };
};

export type TemplateOverrides = Partial<Record<TemplateId, Partial<EmailTemplate>>>;

/**
 * Renders one email: Handlebars fills the Markdown template; the Markdown is the text part
 * and its HTML rendering, in an accessible layout, the HTML part. Values are escaped for HTML
 * and Markdown in the HTML part only, so a participant's name can never inject markup.
 */
export function renderEmail(
  templateId: TemplateId,
  context: EmailContext,
  options: { tone?: Tone; overrides?: TemplateOverrides; footer?: string } = {},
): RenderedEmail {
  const template = { ...defaultTemplates[templateId], ...options.overrides?.[templateId] };
  const tone = options.tone ?? 'warm';
  const fill = (source: string, data: unknown) => compiled(tone, source)(data);

  const subject = fill(template.subject, context).replace(/\s+/g, ' ').trim();
  const markdown = tidy(fill(template.body, context));
  const htmlMarkdown = tidy(fill(template.body, escapeForMarkdown(context)));
  const footer = options.footer ? tidy(fill(options.footer, context)) : '';
  const footerHtml = options.footer ? tidy(fill(options.footer, escapeForMarkdown(context))) : '';

  return {
    subject,
    text: footer ? `${markdown}\n\n--\n${footer}\n` : `${markdown}\n`,
    html: layout(subject, toHtml(htmlMarkdown), footerHtml ? toHtml(footerHtml) : ''),
  };
}

const environments = new Map<Tone, typeof Handlebars>();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Templates are compiled once per tone and source: a round renders thousands of emails. */
function compiled(tone: Tone, source: string): Handlebars.TemplateDelegate {
  const key = `${tone}\u0000${source}`;
  let template = cache.get(key);
  if (!template) {
    let environment = environments.get(tone);
    if (!environment) {
      environment = Handlebars.create();
      for (const [name, partial] of Object.entries(tonePartials[tone]))
        environment.registerPartial(name, partial);
      environments.set(tone, environment);
    }
    template = environment.compile(source, { noEscape: true });
    cache.set(key, template);
  }
  return template;
}

const tidy = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

const toHtml = (markdown: string) => marked.parse(markdown, { async: false, gfm: true, breaks: true });

/** Characters that HTML or Markdown would interpret, in values (never in the template). */
const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\\': '\\\\',
  '*': '\\*',
  _: '\\_',
  '`': '\\`',
  '[': '\\[',
  ']': '\\]',
  '#': '\\#',
  '|': '\\|',
};

function escapeForMarkdown(value: unknown, key = ''): unknown {
  // Links stay as they are, so Markdown turns them into clickable links.
  if (key === 'links') return value;
  if (typeof value === 'string') return value.replace(/[&<>"'\\*_`[\]#|]/g, (c) => escapes[c] ?? c);
  if (Array.isArray(value)) return value.map((item) => escapeForMarkdown(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeForMarkdown(v, k)]));
  }
  return value;
}

/** A plain, readable layout: real text, semantic markup, good contrast, no images. */
function layout(subject: string, body: string, footer: string): string {
  const title = escapeHtml(subject);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div role="article" aria-label="${title}" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1f2933;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.6;">
${body}${footer ? `<hr style="border:none;border-top:1px solid #d2d6dc;margin:24px 0;">\n<div style="font-size:14px;color:#4b5563;">${footer}</div>` : ''}
</div>
</body>
</html>
`;
}
