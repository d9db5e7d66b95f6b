import { LineCounter, parseDocument } from 'yaml';
import { type FieldIssue, invalidInput } from '../errors.ts';
import { readInputFile } from '../input-files.ts';
import { issuesFromZod, knownKeysOf } from '../validation/zod-issues.ts';
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

  const issues = issuesFromZod(result.error, programHints, programKeys)
    .map((issue): FieldIssue => {
      const line = lineOf(doc, lineCounter, issue.path);
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
  path: string,
): number | undefined {
  const segments = keysOf(
    doc,
    path
      .split(/\.|\[(\d+)\]/)
      .filter((s) => s !== undefined && s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  );
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}

/**
 * A dotted path's keys as the document has them: a key may hold a dot (a template's name,
 * `check-in.mentee`), so at each level the longest run of the path's parts that is a key wins,
 * of up to `dottedKeyParts` parts (a bound, so that a key of many dots costs no more than a
 * key of few).
 */
function keysOf(doc: ReturnType<typeof parseDocument>, parts: (string | number)[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let k = 0; k < parts.length; ) {
    let taken = 1;
    for (let r = Math.min(dottedKeyParts, parts.length - k); r > 1; r--) {
      const run = parts.slice(k, k + r);
      if (run.every((part) => typeof part === 'string') && doc.hasIn([...keys, run.join('.')])) {
        taken = r;
        break;
      }
    }
    keys.push(taken === 1 ? (parts[k] ?? '') : parts.slice(k, k + taken).join('.'));
    k += taken;
  }
  return keys;
}

/** The most parts a key of the program file has between its dots (template names have 2). */
const dottedKeyParts = 4;
