import type { z } from 'zod';
import type { FieldIssue } from '../errors.ts';

/** Hints keyed by path pattern, where array indices are written `[]`: `organizers[].email`. */
export type HintTable = Readonly<Record<string, string>>;

export function pathToString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

const patternOf = (path: string) => path.replace(/\[\d+\]/g, '[]');

/**
 * Turns every zod issue into a FieldIssue with its path and, where one is known, a hint.
 * Unknown keys get a "did you mean" hint when a known key is close enough, since a typo
 * is the usual cause.
 */
export function issuesFromZod(error: z.ZodError, hints: HintTable = {}, knownKeys: readonly string[] = []) {
  return keyedIssuesFromZod(error, hints, knownKeys).map(({ issue }) => issue);
}

/** A FieldIssue and the keys of its path as zod gave them: a key may hold a dot, which the printed path cannot tell apart. */
export interface KeyedIssue {
  issue: FieldIssue;
  keys: readonly PropertyKey[];
}

/** `issuesFromZod`, each issue with its path's keys (to find its line in the document read). */
export function keyedIssuesFromZod(
  error: z.ZodError,
  hints: HintTable = {},
  knownKeys: readonly string[] = [],
): KeyedIssue[] {
  const issues: KeyedIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keys = [...issue.path, key];
        const suggestion = closest(key, knownKeys);
        issues.push({
          issue: {
            path: pathToString(keys),
            message: 'is not a known setting',
            hint: suggestion
              ? `did you mean "${suggestion}"?`
              : 'remove it, or check its spelling and indentation',
          },
          keys,
        });
      }
      continue;
    }
    const path = pathToString(issue.path);
    const hint = hints[patternOf(path)];
    issues.push({
      issue: hint ? { path, message: issue.message, hint } : { path, message: issue.message },
      keys: issue.path,
    });
  }
  return issues;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Every object key declared anywhere in a schema, for "did you mean" suggestions. */
export function knownKeysOf(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.type === 'object') {
      for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) {
        keys.add(key);
        visit(child);
      }
    }
    for (const field of ['innerType', 'in', 'out', 'element', 'schema']) visit(def[field]);
    if (Array.isArray(def.options)) def.options.forEach(visit);
  };
  visit(schema);
  return [...keys];
}
