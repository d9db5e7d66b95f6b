/**
 * How well Tandem reads replies: every message of the reply corpus through `understandReply`,
 * compared field by field with what its writer meant. Prints the accuracy per field, the
 * targets, every miss, and any intent that would pause, exit or unsubscribe someone who did
 * not ask. Exits 1 when a target is missed.
 *
 *   npm run eval:replies                 (the corpus in tests/fixtures/replies)
 *   npm run eval:replies -- DIR          (another folder of .eml and .expected.json files)
 */
import { corpusDir, percent, readCorpus, scoreCorpus, targets } from '../support/reply-corpus.ts';

const dir = process.argv[2] ?? corpusDir;
const entries = await readCorpus(dir);
const { scores, misses, harmful } = scoreCorpus(entries);

const show = (value: unknown) => {
  const json = JSON.stringify(value) ?? 'undefined';
  return json.length > 160 ? `${json.slice(0, 157)}…` : json;
};

console.log(`${entries.length} messages in ${dir}\n`);
console.log('field            correct   scored   accuracy   target');
let failed = false;
for (const score of scores) {
  const target = targets[score.field];
  const ok = target === undefined || percent(score) >= target;
  failed ||= !ok;
  console.log(
    `${score.field.padEnd(16)} ${String(score.correct).padStart(7)}  ${String(score.scored).padStart(7)}   ${percent(score).toFixed(1).padStart(7)}%   ${target === undefined ? '' : `≥ ${target}%${ok ? '' : '  ✗'}`}`,
  );
}
console.log(`\nintents that would pause, exit or unsubscribe someone who did not ask: ${harmful.length}`);
for (const miss of harmful)
  console.log(`  ${miss.name}: expected ${show(miss.expected)}, read ${show(miss.actual)}`);
failed ||= harmful.length > 0;

console.log(`\nmisses (${misses.length}):`);
for (const miss of misses)
  console.log(
    `  ${miss.name}  ${miss.field}\n      expected ${show(miss.expected)}\n      read     ${show(miss.actual)}`,
  );
if (failed) process.exitCode = 1;
