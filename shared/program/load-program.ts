import { LineCounter, parseDocument } from 'yaml';
import { type FieldIssue, invalidInput } from '../errors.ts';
import { readInputFile } from '../input-files.ts';
import { keyedIssuesFromZod, knownKeysOf } from '../validation/zod-issues.ts';
import { type Program, programHints, programSchema } from './program-schema.ts';

const programKeys = knownKeysOf(programSchema);

/**
 * Parses a program from YAML or JSON text (JSON is valid YAML). Throws a TandemError that
 * lists every problem at once, each with its line, path and a hint.
 */
export function parseProgram(text: string, source = 'the program file'): Program {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalidInput(
      `${source} is not valid YAML or JSON`,
      doc.errors.map((error) => ({
        path: '',
        line: error.linePos?.[0]?.line,
        message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
        hint: 'check indentation and quoting around that line',
      })),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidInput(`${source} must be a mapping of settings`, [
      { path: '', message: 'is empty or not a mapping', hint: 'start from examples/program.yaml' },
    ]);
  }
  const result = programSchema.safeParse(data);
  if (result.success) return result.data;

  const issues = keyedIssuesFromZod(result.error, programHints, programKeys)
    .map(({ issue, keys }): FieldIssue => {
      const line = lineOf(doc, lineCounter, keys);
      return line === undefined ? issue : { ...issue, line };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  throw invalidInput(`${source} has ${count}`, issues);
}

export async function loadProgramFile(path: string): Promise<Program> {
  return parseProgram(await readInputFile(path, 'program file'), path);
}

/** Line of the deepest node that exists on the issue's path (the parent when a key is missing). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  keys: readonly PropertyKey[],
): number | undefined {
  // zod names every object key as a string, but YAML reads an unquoted key of digits (2027) as a number.
  const segments = keys.map((key) => (typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key));
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}
