import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pMap from 'p-map';
import { ledgerHeader, parseLedgerId } from '../../shared/email/outbound-email.ts';
import { escapeHtml } from '../../shared/escape-html.ts';
import { cohortCalendar } from '../../shared/program/calendar.ts';
import { loadCohort } from '../../shared/use-cases/load-cohort.ts';
import { buildDigest } from '../../shared/use-cases/send-digest.ts';
import { type CapturedEmail, emlOf } from '../ses-local.ts';
import type { SimulationRun } from './simulation.ts';

/** What `report.json` holds; the field names are a contract for organizers' scripts. */
export interface SimulationReport {
  cohortId: string;
  program: string;
  /** Phases in the order they completed, with the (virtual) time. */
  phases: { phase: string; at: string }[];
  participants: {
    total: number;
    mentors: number;
    mentees: number;
    confirmed: number;
    paused: number;
    exited: number;
    unsubscribed: number;
  };
  pairs: { total: number; active: number; ended: number; meanScore: number };
  /** Every email Tandem sent, counted by kind. */
  emails: Record<string, number> & { total: number };
  /** Every message participants sent, counted by kind: reply, auto_reply, bounce, empty. */
  replies: Record<string, number> & { total: number };
  /** …and by what Tandem did with it: recorded, updated, confirmed, held, duplicate, … */
  replyOutcomes: Record<string, number>;
  rounds: {
    round: number;
    kind: string;
    date: string;
    checkedIn: number;
    answered: number;
    pairsMet: number;
  }[];
  /** Pairs with no meeting reported in the last two rounds, at the end. */
  atRisk: string[];
  exits: string[];
  rematches: string[];
  notices: number;
  deadLetters: number;
  virtualStart: string;
  virtualEnd: string;
  realSeconds: number;
}

export async function buildReport(run: SimulationRun): Promise<SimulationReport> {
  // Imported here, not at the top: the handlers' Powertools instances must be created after the
  // local stack has set their environment (quiet logs, no metrics).
  const { handlerDeps } = await import('../../functions/adapters.ts');
  const deps = handlerDeps();
  const cohort = await loadCohort(deps.store, run.cohortId);
  const calendar = cohortCalendar(cohort.program, cohort.schedule);
  const [participants, pairs, notices, deadLetters, inbound] = await Promise.all([
    deps.store.listParticipants(cohort.id),
    deps.pairs.listPairs(cohort.id),
    deps.notices.list(cohort.id),
    deps.ledger.listDeadLetters(cohort.id),
    deps.inbound.counts(cohort.id),
  ]);
  const digests = await Promise.all(
    calendar.rounds.map((round) => buildDigest(cohort.id, round.number, deps)),
  );
  const emails: Record<string, number> & { total: number } = { total: run.emails.length };
  for (const email of run.emails) {
    const kind = kindOf(email);
    emails[kind] = (emails[kind] ?? 0) + 1;
  }
  const replies: Record<string, number> & { total: number } = { total: 0 };
  for (const [kind, count] of Object.entries(inbound.byKind)) {
    replies[kind] = count;
    replies.total += count;
  }
  return {
    cohortId: cohort.id,
    program: cohort.program.name,
    phases: run.phases,
    participants: {
      total: participants.length,
      mentors: participants.filter((p) => p.role === 'mentor').length,
      mentees: participants.filter((p) => p.role === 'mentee').length,
      confirmed: participants.filter((p) => p.confirmed).length,
      paused: participants.filter((p) => p.pausedAt).length,
      exited: participants.filter((p) => p.exitedAt).length,
      unsubscribed: participants.filter((p) => p.unsubscribedAt).length,
    },
    pairs: {
      total: pairs.length,
      active: pairs.filter((p) => p.status === 'active').length,
      ended: pairs.filter((p) => p.status === 'ended').length,
      meanScore: pairs.length
        ? Math.round((pairs.reduce((sum, p) => sum + p.score, 0) / pairs.length) * 10) / 10
        : 0,
    },
    emails,
    replies,
    replyOutcomes: inbound.byOutcome,
    rounds: calendar.rounds.map((round, i) => ({
      round: round.number,
      kind: round.kind,
      date: round.date,
      checkedIn: digests[i]?.sent ?? 0,
      answered: digests[i]?.answered ?? 0,
      pairsMet: digests[i]?.pairsMet ?? 0,
    })),
    atRisk: digests.at(-1)?.atRisk ?? [],
    exits: participants.filter((p) => p.exitedAt).map((p) => `${p.name} (${p.role})`),
    rematches: notices
      .filter((n) => n.kind === 'rematch-request')
      .map((n) => n.message.replace(/:.*$/, '').replace(/ <[^>]+>/, '')),
    notices: notices.length,
    deadLetters: deadLetters.length,
    virtualStart: run.virtualStart,
    virtualEnd: run.virtualEnd,
    realSeconds: Math.round(run.realSeconds * 10) / 10,
  };
}

/** Every email the local inbox captured, as `.eml` files named by order, date, kind and recipient. */
export async function writeOutbox(run: SimulationRun, folder: string): Promise<number> {
  // A fresh outbox each run: a count of the folder's files is the count of this run's emails.
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await pMap(
    run.emails.map((email, index) => ({ email, index })),
    async ({ email, index }) => {
      const recipient = (/<([^>@]+)@/.exec(email.destination.to[0] ?? '')?.[1] ?? 'someone').replace(
        /[^\w.-]/g,
        '',
      );
      const date = new Date(email.at * 1000).toISOString().slice(0, 10);
      const name = `${String(index + 1).padStart(6, '0')}-${date}-${kindOf(email)}-${recipient}.eml`;
      await writeFile(join(folder, name), await emlOf(email));
    },
    { concurrency: 16 },
  );
  return run.emails.length;
}

export function kindOf(email: CapturedEmail): string {
  return parseLedgerId(email.headers?.find((h) => h.name === ledgerHeader)?.value ?? '')?.kind ?? 'other';
}

/** The organizer's report, readable at a glance. */
export function reportHtml(report: SimulationReport): string {
  const list = (items: string[]) =>
    items.length
      ? `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
      : '<p>None.</p>';
  const table = (headers: string[], rows: (string | number)[][]) =>
    `<table><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const counts = (record: Record<string, number>) =>
    table(
      ['Kind', 'Count'],
      Object.entries(record)
        .filter(([k]) => k !== 'total')
        .sort((a, b) => b[1] - a[1]),
    );
  const p = report.participants;
  const answeredShare = (r: SimulationReport['rounds'][number]) =>
    r.checkedIn ? `${Math.round((100 * r.answered) / r.checkedIn)}%` : '–';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.program)}: cohort report</title>
<style>
body { font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f2933; line-height: 1.5; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 1rem; }
.card { border: 1px solid #d2d6dc; border-radius: 0.5rem; padding: 0.75rem 1rem; }
.card strong { display: block; font-size: 1.8rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #e4e7eb; }
th { background: #f4f5f7; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(report.program)}</h1>
<p>Cohort <code>${escapeHtml(report.cohortId)}</code>, ${escapeHtml(report.virtualStart.slice(0, 10))} to ${escapeHtml(report.virtualEnd.slice(0, 10))}.</p>
<div class="cards">
<div class="card"><strong>${p.total}</strong>participants (${p.mentors} mentors, ${p.mentees} mentees)</div>
<div class="card"><strong>${report.pairs.total}</strong>pairs, mean score ${report.pairs.meanScore}</div>
<div class="card"><strong>${report.emails.total}</strong>emails sent</div>
<div class="card"><strong>${report.replies.total}</strong>messages received</div>
<div class="card"><strong>${report.atRisk.length}</strong>pairs at risk</div>
<div class="card"><strong>${report.exits.length}</strong>exits, ${report.rematches.length} rematch requests</div>
</div>
<h2>Rounds</h2>
${table(
  ['Round', 'Kind', 'Date', 'Checked in with', 'Answered', 'Pairs that met'],
  report.rounds.map((r) => [
    r.round,
    r.kind,
    r.date,
    r.checkedIn,
    `${r.answered} (${answeredShare(r)})`,
    r.pairsMet,
  ]),
)}
<h2>Pairs that may be stuck</h2>
${list(report.atRisk)}
<h2>Exits and rematch requests</h2>
${list([...report.exits.map((e) => `Left: ${e}`), ...report.rematches.map((r) => `Rematch: ${r}`)])}
<h2>Emails sent, by kind</h2>
${counts(report.emails)}
<h2>Messages received, by what they were</h2>
${counts(report.replies)}
<h2>… and what Tandem did with them</h2>
${counts(report.replyOutcomes)}
<h2>Timeline</h2>
${table(
  ['Phase', 'Completed'],
  report.phases.map((phase) => [phase.phase, phase.at.slice(0, 16).replace('T', ' ')]),
)}
<p>${report.participants.confirmed} confirmed, ${p.paused} paused now, ${p.unsubscribed} unsubscribed · ${report.notices} notices for the organizers · ${report.deadLetters} dead letters.</p>
</main>
</body>
</html>
`;
}
