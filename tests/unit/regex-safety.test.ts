import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { transformSync } from 'esbuild';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';

/**
 * Tandem's code reads untrusted input everywhere: mail, program files, application CSVs, API
 * bodies, CLI arguments. So no regex of it may take super-linear time. The sources are parsed
 * (TypeScript through esbuild, then acorn), every regex literal is checked with recheck
 * (automaton and fuzz checkers), and no regex may be built at run time (`new RegExp`,
 * `RegExp(…)`), where it would escape this check, unless listed below with why it cannot be
 * slow: word lists are matched token by token instead (`reply-words.ts`).
 */
const root = join(import.meta.dirname, '..', '..');
const sourceFolders = ['shared', 'functions', 'local', 'cli', 'infra', 'bin', 'console'];

/** Regexes built at run time from parts that cannot make them slow, one per file, and why. */
const builtOnPurpose: Record<string, string> = {
  [join('shared', 'adapters', 'dynamodb', 'dynamodb-personal-data.ts')]:
    'the redactor escapes each needle into a literal: no quantifier, so linear',
};

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !file.includes('node_modules'))
    .map((file) => join(folder, file));
}

interface Found {
  file: string;
  source: string;
  flags: string;
}

function regexesIn(file: string): { literals: Found[]; built: string[] } {
  const js = transformSync(readFileSync(join(root, file), 'utf8'), {
    loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
  }).code;
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

const files = sourceFolders.flatMap(sourcesUnder);
const found = files.map(regexesIn);
const literals = found.flatMap((each) => each.literals);

describe(`regexes of ${sourceFolders.join(', ')}`, () => {
  it('are all literals, so all of them are checked', () => {
    expect(files).toContain(join('shared', 'inbound', 'parse-message.ts'));
    expect(literals.length).toBeGreaterThan(40);
    const built = found.flatMap((each) => each.built);
    const unexplained = built.filter((at) => !(at.slice(0, at.lastIndexOf(':')) in builtOnPurpose));
    expect(unexplained).toEqual([]);
    // One each: a second regex built in a listed file must be listed and explained too.
    expect(built).toHaveLength(Object.keys(builtOnPurpose).length);
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
