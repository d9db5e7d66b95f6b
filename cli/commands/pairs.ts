import type { Command } from 'commander';
import type { Pair } from '../../shared/cohorts/pair.ts';
import { type PairRow, pairNames } from '../../shared/use-cases/list-pairs.ts';
import type { NudgeResult } from '../../shared/use-cases/nudge-pair.ts';
import type { ProposalsOutcome, RematchOutcome } from '../../shared/use-cases/rematch.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

type Json = { json?: boolean };
const cohortPath = (cohortId: string) => `/cohorts/${encodeURIComponent(cohortId)}`;

/** The organizer's actions on a running cohort's pairs: list, nudge, close, rematch, approve. */
export function registerPairs(cli: Command): void {
  withTargetOptions(
    cli
      .command('pairs')
      .description(
        "every pair of a cohort: status, ladder rung, last meeting, last answer, and the pair's id to act on",
      )
      .argument('<cohort>', 'the cohort id')
      .option('--at-risk', 'only the pairs the engagement ladder flagged at risk')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & Json & { atRisk?: boolean }) => {
      const api = await connect(options);
      const query = options.atRisk ? '?atRisk=true' : '';
      const { pairs } = await api.request<{ pairs: PairRow[] }>(
        'GET',
        `${cohortPath(cohortId)}/pairs${query}`,
      );
      if (options.json) return printJson({ pairs });
      printPairs(pairs, Boolean(options.atRisk));
    }),
  );

  withTargetOptions(
    cli
      .command('nudge')
      .description('ask both sides of one pair, kindly, how it is going (once per check-in)')
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--pair <id>', 'the pair, as `tandem pairs` lists it')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & Json & { pair: string }) => {
      const api = await connect(options);
      const result = await api.request<NudgeResult>(
        'POST',
        `${cohortPath(cohortId)}/pairs/${encodeURIComponent(options.pair)}/nudge`,
      );
      if (options.json) return printJson(result);
      console.log(
        result.nudged.length > 0
          ? `✓ Nudged ${result.nudged.join(' and ')} about check-in ${result.round}.`
          : `· Both sides were nudged about check-in ${result.round} already: nothing sent.`,
      );
    }),
  );

  withTargetOptions(
    cli
      .command('close-pair')
      .description("end one pair at no one's fault; both sides join the rematch queue")
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--pair <id>', 'the pair, as `tandem pairs` lists it')
      .option('--reason <text>', 'why, in plain words for the records')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & Json & { pair: string; reason?: string }) => {
      const api = await connect(options);
      const result = await api.request<RematchOutcome & { pair: Pair; closed: boolean }>(
        'POST',
        `${cohortPath(cohortId)}/pairs/${encodeURIComponent(options.pair)}/close`,
        { json: options.reason ? { reason: options.reason } : {} },
      );
      if (options.json) return printJson(result);
      console.log(
        result.closed
          ? `✓ Closed the pair ${result.pair.menteeEmail} & ${result.pair.mentorEmail}.`
          : `· The pair ${result.pair.menteeEmail} & ${result.pair.mentorEmail} had ended already.`,
      );
      printRematch(cohortId, result);
    }),
  );

  withTargetOptions(
    cli
      .command('rematch')
      .description(
        "end a participant's pair and find them a new partner (proposed for approval, or at once with `rematch: automatic`)",
      )
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--participant <email>', "the participant's email address")
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & Json & { participant: string }) => {
      const api = await connect(options);
      const result = await api.request<RematchOutcome>('POST', `${cohortPath(cohortId)}/rematches`, {
        json: { participant: options.participant },
      });
      if (options.json) return printJson(result);
      printRematch(cohortId, result);
    }),
  );

  withTargetOptions(
    cli
      .command('approve-rematch')
      .description('approve every proposed rematch: the new pairs are introduced and join the next check-in')
      .argument('<cohort>', 'the cohort id')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & Json) => {
      const api = await connect(options);
      const result = await api.request<{ pairs: Pair[] }>(
        'POST',
        `${cohortPath(cohortId)}/rematches/approve`,
      );
      if (options.json) return printJson(result);
      if (result.pairs.length === 0) return console.log('· No rematch proposal waits for approval.');
      for (const pair of result.pairs)
        console.log(
          `✓ ${pair.menteeEmail} & ${pair.mentorEmail}: introduced, from check-in ${pair.startRound}`,
        );
    }),
  );
}

function printPairs(pairs: PairRow[], atRisk: boolean): void {
  if (pairs.length === 0) {
    console.log(atRisk ? 'No pair is at risk.' : 'The cohort has no pairs yet.');
    return;
  }
  const rows = pairs.map((pair) => [
    pair.pairId,
    pair.status === 'active' ? (pair.atRisk ? 'at risk' : 'active') : 'ended',
    pair.rung ?? '-',
    pair.lastMeeting ? `check-in ${pair.lastMeeting.round}` : 'never',
    pair.lastAnswer ? `check-in ${pair.lastAnswer.round}, ${pair.lastAnswer.at.slice(0, 10)}` : 'none',
    `${pairNames(pair)}${pair.reason ? ` (${pair.reason})` : ''}`,
  ]);
  const header = ['PAIR', 'STATUS', 'LADDER', 'LAST MEETING', 'LAST ANSWER', 'MENTEE & MENTOR'];
  const widths = header.map((title, k) => Math.max(title.length, ...rows.map((row) => row[k]?.length ?? 0)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, k) => (k === row.length - 1 ? cell : cell.padEnd(widths[k] ?? 0)))
        .join('  ')
        .trimEnd(),
    );
}

function printRematch(
  cohortId: string,
  { queued, proposals }: { queued: RematchOutcome['queued']; proposals: ProposalsOutcome },
) {
  for (const request of queued)
    console.log(`  ${request.email} waits for a new partner (${request.reason}).`);
  for (const pair of proposals.approved)
    console.log(`✓ ${pair.menteeEmail} & ${pair.mentorEmail}: introduced, from check-in ${pair.startRound}`);
  const waiting = proposals.proposed.filter(
    (p) => !proposals.approved.some((pair) => pair.menteeEmail === p.mentee && pair.mentorEmail === p.mentor),
  );
  for (const p of waiting)
    console.log(
      `  proposed: ${p.mentee} with mentor ${p.mentor} (score ${p.score}), from check-in ${p.round}`,
    );
  if (waiting.length > 0) console.log(`  approve with: tandem approve-rematch ${cohortId}`);
  for (const u of proposals.unplaceable) console.log(`  nobody can take ${u.mentee} now: ${u.reason}`);
}
