import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseUrl } from '../../shared/base-url.ts';
import { addressIn } from '../../shared/email/email-address.ts';

describe('addressIn', () => {
  it('reads the address of a header value as mail clients write it', () => {
    expect(addressIn('"Okafor, Ada" <ada@example.org>')).toBe('ada@example.org');
    expect(addressIn('Ada Okafor <ada@example.org>')).toBe('ada@example.org');
    expect(addressIn('ada@example.org')).toBe('ada@example.org');
    expect(addressIn('  <ada@example.org>  ')).toBe('ada@example.org');
    expect(addressIn('=?UTF-8?B?w4lsb8Ovc2U=?= <eloise@example.fr>')).toBe('eloise@example.fr');
  });

  it('gives back what it cannot read, trimmed, rather than inventing an address', () => {
    expect(addressIn(' <<<< ')).toBe('<<<<');
    expect(addressIn('')).toBe('');
  });
});

describe('baseUrl', () => {
  it('drops every trailing slash and nothing else', () => {
    expect(baseUrl('https://api.example.org/')).toBe('https://api.example.org');
    expect(baseUrl('https://api.example.org/prod///')).toBe('https://api.example.org/prod');
    expect(baseUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    fc.assert(
      fc.property(fc.string(), fc.nat(5), (url, slashes) => {
        const base = baseUrl(url + '/'.repeat(slashes));
        expect(base.endsWith('/')).toBe(false);
        expect(url.startsWith(base)).toBe(true);
      }),
    );
  });
});
