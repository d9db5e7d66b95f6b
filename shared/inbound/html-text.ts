import { compile, type FormatCallback } from 'html-to-text';

/**
 * Turns the HTML of a message that has no plain-text part into text, keeping what the
 * mail client said about its own quoting. Quote containers (Gmail's `gmail_quote`, Outlook's
 * `divRplyFwdMsg`, Thunderbird's `moz-cite-prefix`, Proton's `protonmail_quote`, Yahoo's
 * `yahoo_quoted`) become marker lines, `<blockquote>` becomes `> ` lines, and signature
 * containers are left out, so the quote stripping reads every client the same way, in any language.
 */

/** Marker lines, from the Unicode private use area so no participant can type them by accident. */
export const quoteMarks = {
  /** The next lines, up to the quoted text, are the client's "On … wrote:" line. */
  attribution: '\uE001',
  /** Everything from here on is the earlier conversation. */
  history: '\uE002',
} as const;

/**
 * HTML longer than this (without its `<head>`) is cut before conversion, which takes time in
 * proportion: the new text comes first, the history after.
 */
const maxHtmlChars = 48 * 1024;

const attributionThenContent: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addLiteral(quoteMarks.attribution);
  builder.closeBlock({ trailingLineBreaks: 1 });
  walk(elem.children, builder);
};

/** A table row is a line; its cells are separated by " | " ("Did you meet? | Yes"). */
const tableRow: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};
interface Sibling {
  type?: string;
  name?: string;
  data?: string;
  prev?: Sibling | null;
}
const tableCell: FormatCallback = (elem, walk, builder) => {
  let previous = (elem as Sibling).prev;
  while (previous && previous.type === 'text' && !previous.data?.trim()) previous = previous.prev;
  if (previous?.name === 'td' || previous?.name === 'th') builder.addInline(' | ');
  walk(elem.children, builder);
};

const mark = (selector: string, string: string) => ({
  selector,
  format: 'blockString',
  options: { string, leadingLineBreaks: 1, trailingLineBreaks: 1 },
});
const skip = (selector: string) => ({ selector, format: 'skip' });

const convert = compile({
  wordwrap: false,
  // Deeper elements are old quotes inside quotes; walking them recursively could exhaust the stack.
  limits: { maxDepth: 64, ellipsis: '' },
  formatters: { attributionThenContent, tableRow, tableCell },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    // Clients draw a rule above the quoted message; a rule is never part of an answer.
    { selector: 'hr', format: 'skip' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'tableRow' },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
    { selector: 'div.gmail_quote', format: 'attributionThenContent' },
    { selector: 'div.gmail_quote_container', format: 'attributionThenContent' },
    { selector: 'div.protonmail_quote', format: 'attributionThenContent' },
    mark('div.gmail_attr', quoteMarks.attribution),
    mark('div.moz-cite-prefix', quoteMarks.attribution),
    mark('div#appendonsend', quoteMarks.history),
    mark('div#divRplyFwdMsg', quoteMarks.history),
    mark('div#x_divRplyFwdMsg', quoteMarks.history),
    mark('div#mail-editor-reference-message-container', quoteMarks.history),
    mark('div.OutlookMessageHeader', quoteMarks.history),
    mark('hr#stopSpelling', quoteMarks.history),
    mark('div.yahoo_quoted', quoteMarks.history),
    skip('div.gmail_signature'),
    skip('div.moz-signature'),
    skip('div.protonmail_signature_block'),
    skip('div#Signature'),
    skip('div#ms-outlook-mobile-signature'),
    skip('div#ymail_android_signature'),
    skip('div.yahoo-signature'),
  ],
});

/** The text of an HTML body, with quote markers; `truncated` when the HTML was cut. */
export function htmlToText(html: string): { text: string; truncated: boolean } {
  const body = withoutHead(html);
  const truncated = body.length > maxHtmlChars;
  const text = convert(withCellParagraphsInline(truncated ? body.slice(0, maxHtmlChars) : body))
    // html-to-text puts a space before the number of an ordered list item; a participant typed none.
    .replace(/^ (\d+\. )/gm, '$1');
  return { text, truncated };
}

/** Outlook wraps a table cell's text in a paragraph: it stays on the row's line. */
const withCellParagraphsInline = (html: string) =>
  html.replace(/(<t[dh]\b[^<>]*>)\s*<p\b[^<>]*>/gi, '$1').replace(/<\/p>\s*(<\/t[dh]>)/gi, '$1');

/** Outlook's `<head>` alone can hold tens of kilobytes of styles; it never holds text to read. */
function withoutHead(html: string): string {
  const start = html.search(/<head[\s>]/i);
  const end = html.search(/<\/head\s*>/i);
  return start !== -1 && end > start ? html.slice(0, start) + html.slice(end) : html;
}
