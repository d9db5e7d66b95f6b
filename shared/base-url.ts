/** A base URL without its trailing slashes, so paths can be appended (`https://x/` → `https://x`). */
export function baseUrl(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}
