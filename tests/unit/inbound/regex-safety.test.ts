import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { transformSync } from 'esbuild';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';

/**
 * Every regex of `shared/inbound` reads untrusted mail, so none may take super-linear time.
 * The sources are parsed (TypeScript through esbuild, then acorn), every regex literal is
 * checked with recheck (automaton and fuzz checkers), and no regex may be built at run time
 * (`new RegExp`, `RegExp(…)`), where it would escape this check: word lists are matched token
 * by token instead (`reply-words.ts`).
 */
const inbound = join(import.meta.dirname, '..', '..', '..', 'shared', 'inbound');

interface Found {
  file: string;
  source: string;
  flags: string;
}

function regexesIn(file: string): { literals: Found[]; built: string[] } {
  const js = transformSync(readFileSync(join(inbound, file), 'utf8'), { loader: 'ts' }).code;
  const literals: Found[] = [];
  const built: string[] = [];
  const noteBuilt = (node: { callee: { type: string; name?: string }; start: number }) => {
    if (node.callee.type === 'Identifier' && node.callee.name === 'RegExp')
      built.push(`${file}:${node.start}`);
  };
  simple(parse(js, { ecmaVersion: 'latest', sourceType: 'module' }), {
    Literal(node) {
      const { regex } = node as { regex?: { pattern: string; flags: string } };
      if (regex) literals.push({ file, source: regex.pattern, flags: regex.flags });
    },
    NewExpression: noteBuilt,
    CallExpression: noteBuilt,
  });
  return { literals, built };
}

const files = readdirSync(inbound).filter((file) => file.endsWith('.ts'));
const found = files.map(regexesIn);
const literals = found.flatMap((each) => each.literals);

describe('regexes of shared/inbound', () => {
  it('are all literals, so all of them are checked', () => {
    expect(literals.length).toBeGreaterThan(20);
    expect(found.flatMap((each) => each.built)).toEqual([]);
  });

  it.each(literals.map((each) => [`${each.file}: /${each.source}/${each.flags}`, each] as const))(
    '%s runs in linear time',
    async (_, { source, flags }) => {
      const diagnostics = await check(source, flags, { timeout: 20_000 });
      const why = 'complexity' in diagnostics ? diagnostics.complexity.summary : diagnostics.status;
      expect(diagnostics.status === 'safe' ? 'safe' : why).toBe('safe');
    },
    30_000,
  );
});
