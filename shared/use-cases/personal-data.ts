import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { applicationCsvColumns } from '../applications/application-schema.ts';
import type { Answer } from '../cohorts/answer.ts';
import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { conflict, invalidInput } from '../errors.ts';
import { cohortCalendar } from '../program/calendar.ts';
import { defaultRetentionDays } from '../program/program-schema.ts';
import { anonymizeReport } from '../report/anonymize-report.ts';
import { type CsvCell, csv, pairsCsv, roundsCsv } from '../report/report-csv.ts';
import { emailField } from '../validation/fields.ts';
import { buildCohortReport, type ReportDeps } from './cohort-report.ts';
import { loadCohort } from './load-cohort.ts';

/**
 * Personal data leaves Tandem two ways. A cohort's, as a whole, `retentionDays` after its last
 * day (the workflow's last step): only the report's figures, without names, remain. One
 * person's, on request, from every cohort at once: their address stays only as a hash on the
 * suppression list, so nothing is ever sent to it again.
 */

/** The last day the cohort's personal data is kept: `retentionDays` after the cohort's last day. */
export function keptUntil(cohort: Pick<Cohort, 'program' | 'schedule'>): string {
  const end = cohortCalendar(cohort.program, cohort.schedule).end;
  // Cohorts launched before the setting existed keep the default.
  const days = cohort.program.retentionDays ?? defaultRetentionDays;
  return DateTime.fromISO(end).plus({ days }).toISODate() ?? end;
}

/** When the purge runs: at midnight after the last day kept, in the program's time zone. */
export function purgeDateOf(cohort: Cohort): Date {
  return DateTime.fromISO(keptUntil(cohort), { zone: cohort.program.timezone })
    .plus({ days: 1 })
    .startOf('day')
    .toJSDate();
}

export interface PurgeResult {
  cohortId: string;
  purgedAt: string;
  deleted: number;
}

/**
 * Purges a closed cohort's personal data, keeping its report's figures without names. Safe to
 * run again at any point: the figures are kept once, before anything is deleted, and a rerun
 * deletes what a stopped run left.
 */
export async function purgeCohortData(cohortId: string, deps: ReportDeps): Promise<PurgeResult> {
  const cohort = await loadCohort(deps.store, cohortId);
  if (cohort.phase !== 'closed') {
    throw conflict(
      `Cohort "${cohortId}" is still ${cohort.phase}: its personal data is purged only after it closes.`,
    );
  }
  const data = await buildCohortReport(cohortId, deps);
  const purgedAt = data.report.purgedAt ?? deps.clock.now().toISOString();
  if (!data.report.anonymized) await deps.personalData.saveArchive(cohortId, anonymizeReport(data, purgedAt));
  const { deleted } = await deps.personalData.purgeCohort(cohortId);
  await deps.store.updateCohort(cohortId, { purgedAt });
  await deps.notices.post(
    cohortId,
    {
      at: purgedAt,
      kind: 'workflow',
      message: `The cohort's personal data was purged as its retention period ended (${deleted} items deleted). Its report's figures remain, without names: tandem report ${cohortId}.`,
    },
    'personal-data-purged',
  );
  return { cohortId, purgedAt, deleted };
}

export interface ForgetResult {
  /** The address is on the suppression list: Tandem sends nothing to it any more. */
  suppressed: true;
  cohorts: { cohortId: string; pairsEnded: number; deleted: number; redacted: number }[];
}

/** Placeholders that take the place of a forgotten person wherever another item names them. */
export const forgottenName = '(erased)';
const forgottenAddress = (email: string) =>
  `erased-${createHash('sha256').update(email).digest('hex').slice(0, 12)}@erased.invalid`;

/**
 * Erases one person from every cohort they are in, on their request: their pairs end (no
 * fault), their own items are deleted, what names them elsewhere is redacted, and their
 * address is suppressed first, so no email reaches them even if the erasure is interrupted.
 */
export async function forgetPerson(email: string, deps: ReportDeps): Promise<ForgetResult> {
  const parsed = emailField.safeParse(email);
  if (!parsed.success) {
    throw invalidInput('The address is not valid', [
      { path: 'email', message: 'is not a valid email address', hint: 'e.g. tandem forget ana@example.org' },
    ]);
  }
  const address = parsed.data;
  const now = deps.clock.now();
  await deps.personalData.suppress(address, now);
  const cohorts: ForgetResult['cohorts'] = [];
  for (const cohortId of await deps.store.findCohortIdsOfEmail(address)) {
    const participant = await deps.store.getParticipant(cohortId, address);
    const running = (await loadCohort(deps.store, cohortId)).phase !== 'closed';
    let pairsEnded = 0;
    for (const pair of running ? await deps.pairs.listPairs(cohortId) : []) {
      if (pair.status !== 'active' || (pair.menteeEmail !== address && pair.mentorEmail !== address))
        continue;
      if (await deps.pairs.endPair(cohortId, pair.pairId, 'a participant asked to be forgotten', now))
        pairsEnded++;
    }
    const { deleted, redacted } = await deps.personalData.erasePerson(
      cohortId,
      {
        email: address,
        ...(participant ? { name: participant.name, participantId: participant.participantId } : {}),
      },
      { email: forgottenAddress(address), name: forgottenName },
    );
    await deps.notices.post(cohortId, {
      at: now.toISOString(),
      kind: 'erasure',
      message: `A ${participant?.role ?? 'participant'} asked to be forgotten: their data was erased from this cohort and no more email goes to their address.${pairsEnded ? ' Their pair ended, at no one’s fault: consider a rematch for their partner.' : ''}`,
    });
    cohorts.push({ cohortId, pairsEnded, deleted, redacted });
  }
  return { suppressed: true, cohorts };
}

/**
 * The cohort's records as CSV files, for the organizers to keep before the purge: the
 * participants, the pairs, the rounds, and every answer with the words it was given in.
 */
export async function exportCohort(cohortId: string, deps: ReportDeps): Promise<Record<string, string>> {
  const { report, pairs } = await buildCohortReport(cohortId, deps);
  // The report kept at the purge (even one still running): nothing personal is left to export.
  if (report.anonymized) {
    throw conflict(
      `The personal data of cohort "${cohortId}" was purged on ${report.purgedAt?.slice(0, 10)}; only its report remains: tandem report ${cohortId} --out DIR`,
    );
  }
  const participants = await deps.store.listParticipants(cohortId);
  const rounds = report.rounds.map((round) => round.round);
  const answers = (
    await Promise.all(rounds.map((round) => deps.answers.listAnswers(cohortId, round)))
  ).flat();
  return {
    'participants.csv': participantsCsv(participants),
    'pairs.csv': pairsCsv(pairs),
    'rounds.csv': roundsCsv(report.rounds),
    'answers.csv': answersCsv(answers, participants),
  };
}

export const participantsCsvHeader = [
  ...applicationCsvColumns,
  'confirmed',
  'consent_source',
  'consent_at',
  'applied_at',
  'confirmed_at',
  'paused_at',
  'exited_at',
  'unsubscribed_at',
  'undeliverable_at',
] as const;

function participantsCsv(participants: Participant[]): string {
  const list = (value: unknown) => (Array.isArray(value) ? value.join('; ') : (value as CsvCell));
  return csv(
    participantsCsvHeader,
    participants.map((p) => [
      ...applicationCsvColumns.map((column) => list(p[column])),
      p.confirmed,
      p.consent.source,
      p.consent.at,
      p.createdAt,
      p.confirmedAt,
      p.pausedAt,
      p.exitedAt,
      p.unsubscribedAt,
      p.undeliverableAt,
    ]),
  );
}

export const answersCsvHeader = [
  'round',
  'email',
  'name',
  'role',
  'met',
  'rating',
  'topics',
  'action_items',
  'intent',
  'usefulness',
  'decision',
  'help',
  'nps',
  'note',
  'replies',
  'updated_at',
] as const;

function answersCsv(answers: Answer[], participants: Participant[]): string {
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  return csv(
    answersCsvHeader,
    answers.map((a) => [
      a.round,
      a.email,
      byEmail.get(a.email)?.name,
      byEmail.get(a.email)?.role,
      a.met,
      a.rating,
      a.topics.join('; '),
      a.actionItems.join('; '),
      a.intent,
      a.survey?.usefulness,
      a.survey?.decision,
      a.survey?.help,
      a.survey?.nps,
      a.note,
      a.replies.map((reply) => reply.text).join('\n\n---\n\n'),
      a.updatedAt,
    ]),
  );
}
