/**
 * Masks every email address in a text, `alice.smith@example.org` → `a***@example.org`: enough
 * to tell providers and people apart in a log, not enough to mail anyone. One pass outward
 * from each `@`, never back past the previous address: linear in the text, whatever it holds.
 */
export function maskEmails(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const domain = text.slice(at + 1, end);
    if (start === at || !domain.includes('.')) continue;
    out += `${text.slice(copied, start)}${text[start]}***@${domain}`;
    copied = end;
    at = end - 1;
  }
  return out + text.slice(copied);
}

/** Letters, digits and the punctuation RFC 5322 allows in a local part (dot-atom). */
const isLocalChar = (c: number) =>
  isAlphanumeric(c) || c >= 128 || "!#$%&'*+-/=?^_`{|}~.".includes(String.fromCharCode(c));
const isDomainChar = (c: number) => isAlphanumeric(c) || c >= 128 || c === 0x2e || c === 0x2d;
const isAlphanumeric = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
