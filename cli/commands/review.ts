import type { Command } from 'commander';
import type { DraftComparison } from '../../shared/matching/compare-drafts.ts';
import type { MatchDraft } from '../../shared/matching/match-draft.ts';
import type { ReviewSettings } from '../../shared/matching/run-matching.ts';
import type { CreatedMatchDraft } from '../../shared/use-cases/create-match-draft.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

/** Pairs printed in the terminal; --json has them all. */
const pairsShown = 50;

const cohortPath = (cohortId: string) => `/cohorts/${encodeURIComponent(cohortId)}`;

/** The organizer's review of a cohort's matching: drafts, pins, forbids, capacities, approval. */
export function registerReview(cli: Command): void {
  withTargetOptions(
    cli
      .command('draft')
      .description(
        "match the cohort's confirmed participants into a new draft and compare it with the previous one",
      )
      .argument('<cohort>', 'the cohort id')
      .option('--json', 'print the draft and the comparison as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { json?: boolean }) => {
      const api = await connect(options);
      const created = await api.request<CreatedMatchDraft>('POST', `${cohortPath(cohortId)}/drafts`);
      if (options.json) return printJson(created);
      printDraft(created.draft);
      if (created.comparison) printComparison(created.draft.number - 1, created.comparison);
      console.log(`Approve it with: tandem approve-draft ${cohortId} --draft ${created.draft.number}`);
    }),
  );

  for (const kind of ['pin', 'forbid'] as const) {
    withTargetOptions(
      cli
        .command(kind)
        .description(
          kind === 'pin'
            ? 'always pair this mentee with this mentor in the next drafts (overrides the minimum score, never a rule)'
            : 'never pair this mentee with this mentor in the next drafts',
        )
        .argument('<cohort>', 'the cohort id')
        .requiredOption('--mentee <email>', "the mentee's email")
        .requiredOption('--mentor <email>', "the mentor's email")
        .option('--remove', `remove the ${kind} instead`)
        .option('--json', 'print the review settings as JSON'),
    ).action(
      action(
        async (
          cohortId: string,
          options: TargetOptions & { mentee: string; mentor: string; remove?: boolean; json?: boolean },
        ) => {
          const api = await connect(options);
          const settings = await api.request<ReviewSettings>('POST', `${cohortPath(cohortId)}/${kind}s`, {
            json: {
              mentee: options.mentee,
              mentor: options.mentor,
              ...(options.remove ? { remove: true } : {}),
            },
          });
          if (options.json) return printJson(settings);
          const verb = kind === 'pin' ? 'pinned' : 'forbade';
          console.log(
            `✓ ${options.remove ? `removed the ${kind} of` : verb} ${options.mentee} → ${options.mentor}`,
          );
          printSettings(cohortId, settings);
        },
      ),
    );
  }

  withTargetOptions(
    cli
      .command('capacity')
      .description('change how many mentees a mentor takes in the next drafts (0 takes the mentor out)')
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--mentor <email>', "the mentor's email")
      .requiredOption('--capacity <n>', 'places, 0 to 5', (value) => Number(value))
      .option('--json', 'print the review settings as JSON'),
  ).action(
    action(
      async (
        cohortId: string,
        options: TargetOptions & { mentor: string; capacity: number; json?: boolean },
      ) => {
        const api = await connect(options);
        const settings = await api.request<ReviewSettings>('POST', `${cohortPath(cohortId)}/capacities`, {
          json: { mentor: options.mentor, capacity: options.capacity },
        });
        if (options.json) return printJson(settings);
        console.log(`✓ ${options.mentor} takes up to ${options.capacity} mentees`);
        printSettings(cohortId, settings);
      },
    ),
  );

  withTargetOptions(
    cli
      .command('approve-draft')
      .alias('approve')
      .description(
        'approve a draft: it becomes the matching announced to participants, and the waiting workflow sends the introductions',
      )
      .argument('<cohort>', 'the cohort id')
      .option('--draft <n>', 'the draft number (default: the latest)')
      .option('--json', 'print the approval as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { draft?: string; json?: boolean }) => {
      const api = await connect(options);
      const approved = await api.request<Pick<MatchDraft, 'number' | 'approvedAt' | 'summary'>>(
        'POST',
        `${cohortPath(cohortId)}/drafts/${encodeURIComponent(options.draft ?? 'latest')}/approval`,
      );
      if (options.json) return printJson(approved);
      console.log(
        `✓ approved draft ${approved.number} of ${cohortId}: ${approved.summary.matched} pairs, ${approved.summary.unmatched} mentees unmatched`,
      );
      console.log('  the workflow now sends the introductions, in each participant’s morning');
    }),
  );
}

function printDraft(draft: MatchDraft): void {
  const { summary } = draft;
  console.log(
    `Draft ${draft.number} of ${draft.cohortId}: ${summary.matched} of ${summary.mentees} mentees matched (${summary.objective}), mean score ${summary.meanScore}, total ${summary.totalScore}${summary.optimal ? ', proven optimal' : ''}`,
  );
  for (const pair of draft.pairs.slice(0, pairsShown)) {
    console.log(`  ${pair.mentee} → ${pair.mentor}  ${pair.score}  ${pair.reasons.join(' · ')}`);
  }
  if (draft.pairs.length > pairsShown)
    console.log(`  … ${draft.pairs.length - pairsShown} more pairs (--json lists all)`);
  for (const mentee of draft.unmatched) console.log(`  unmatched ${mentee.mentee}: ${mentee.reason}`);
}

function printComparison(previous: number, comparison: DraftComparison): void {
  const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
  console.log(
    `Compared with draft ${previous}: ${signed(comparison.matchedDelta)} matched, total score ${signed(comparison.totalScoreDelta)}, ${comparison.unchanged} pairs unchanged`,
  );
  for (const change of comparison.changed) {
    console.log(
      `  ${change.mentee}: ${change.from.mentor} → ${change.to.mentor} (${signed(change.scoreDelta)})`,
    );
  }
  for (const pair of comparison.added) console.log(`  + ${pair.mentee} → ${pair.mentor} (${pair.score})`);
  for (const pair of comparison.removed) console.log(`  − ${pair.mentee} (was ${pair.mentor})`);
}

function printSettings(cohortId: string, settings: ReviewSettings): void {
  const capacities = Object.keys(settings.capacityOverrides).length;
  console.log(
    `  review of ${cohortId}: ${settings.pins.length} pins, ${settings.forbids.length} forbidden pairs, ${capacities} capacity changes`,
  );
  console.log(`  run \`tandem draft ${cohortId}\` to see the effect`);
}
