import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { syntheticCohort } from '../../bench/synthetic-cohort.ts';
import { devAdminClient } from '../../local/oidc/local-oidc-provider.ts';
import { applicationsCsv } from '../../shared/applications/applications-csv.ts';
import { prepareMatching, solvePrepared } from '../../shared/matching/run-matching.ts';
import { loadProgramFile, parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { projectRoot, runCli, stackTraceLine, startCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dirs.ts';

const examples = join(projectRoot, 'examples');

describe('tandem CLI', () => {
  it('validates the example program', async () => {
    const result = await runCli(['validate', 'examples/program.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ examples/program.yaml is valid');
  });

  it('explains a broken program with lines and hints, without a stack trace', async () => {
    const dir = tempDir('tandem-');
    const file = join(dir, 'program.yaml');
    writeFileSync(file, 'name: X\ncadence: daily\nlengthMonths: 24\n');
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: ${file} has 6 problems`);
    expect(result.stderr).toMatch(/line 2 cadence: must be one of weekly, biweekly, monthly\n\s+hint: /);
    expect(result.stderr).not.toMatch(stackTraceLine);
  });

  it('says plainly when a file does not exist or no local stack is running', async () => {
    const missing = await runCli(['validate', 'nope.yaml']);
    expect(missing.stderr.trim()).toBe('Error: The program file nope.yaml does not exist.');
    const dir = tempDir('tandem-');
    const offline = await runCli(['status', 'some-cohort'], { cwd: dir });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/No local Tandem is running. Start one with `npm run dev`/);
  });

  it('has --help on every command', async () => {
    const root = await runCli(['--help']);
    for (const command of [
      'validate',
      'launch',
      'import',
      'status',
      'preview',
      'reply-address',
      'parse-reply',
      'match',
      'draft',
      'pin',
      'forbid',
      'capacity',
      'approve-draft',
      'approve',
      'pause',
      'resume',
      'extend',
      'end',
      'restart',
      'resend',
      'pairs',
      'nudge',
      'close-pair',
      'rematch',
      'approve-rematch',
      'report',
      'export',
      'forget',
      'dlq',
      'dev',
      'clock',
      'send-reply',
      'simulate',
      'login',
      'logout',
      'whoami',
    ]) {
      expect(root.stdout).toContain(command);
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: tandem ${command}`);
    }
  });

  it('still runs as bin/tandem.ts, the entry point scripts named before bin/tandem.mjs', () => {
    const child = spawnSync(process.execPath, [join(projectRoot, 'bin', 'tandem.ts'), 'match', '--help'], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('Usage: tandem match');
  });

  it('starts without what only other commands use: the AWS SDK, the mail parsers', async () => {
    // A hook in the CLI's process lists every module it loads.
    const dir = tempDir('tandem-start-');
    const hook = join(dir, 'list-modules.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load: (url, context, next) => (loaded.push(url), next(url, context)) });
process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(loaded)));`,
    );
    const child = spawnSync(
      process.execPath,
      ['--import', hook, join(projectRoot, 'bin', 'tandem.mjs'), 'match', '--help'],
      {
        encoding: 'utf8',
      },
    );
    expect(child.status).toBe(0);
    const loaded: string[] = JSON.parse(child.stderr.slice(child.stderr.indexOf('LOADED ') + 7));
    const packages = new Set(
      loaded.flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? []),
    );
    expect(packages).toContain('commander');
    expect(packages).toContain('zod');
    const unneeded = [...packages].filter((name) =>
      /^(@aws-sdk\/|@smithy\/|mailparser$|email-reply-parser$|html-to-text$)/.test(name),
    );
    expect(unneeded).toEqual([]);
    // Nor the other commands' modules: a command loads its own (cli/main.ts).
    const commandFiles = loaded.flatMap((url) => /\/cli\/commands\/([^/]+)$/.exec(url)?.[1] ?? []);
    expect(commandFiles).toEqual(['match.ts']);
  });

  it('matches a CSV offline: the proven optimum, explained, with every eligible pair for audits', async () => {
    const dir = tempDir('tandem-');
    const out = join(dir, 'matches.csv');
    const scores = join(dir, 'scores.csv');
    const result = await runCli([
      'match',
      'examples/applications.csv',
      '--program',
      'examples/program.yaml',
      '--out',
      out,
      '--scores-out',
      scores,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ matched: 9, unmatched: 3, optimal: true, objective: 'participation' });
    expect(summary.totalScore).toBeGreaterThan(0);
    expect(summary.meanScore).toBeCloseTo(summary.totalScore / summary.matched, 1);
    expect(typeof summary.seconds).toBe('number');
    // The solver's own figures: solving is part of the whole run, on a graph within the eligible pairs.
    expect(summary.solveSeconds).toBeGreaterThanOrEqual(0);
    expect(summary.solveSeconds).toBeLessThanOrEqual(summary.seconds);
    expect(summary.rounds).toBeGreaterThanOrEqual(1);
    expect(summary.candidatePairs).toBeGreaterThan(0);
    expect(summary.candidatePairs).toBeLessThanOrEqual(summary.eligiblePairs);
    // Its three unmatched mentees have no eligible mentor: out of the problem, not left out by
    // the matching, so no one is short of a place and the whole problem goes to cost scaling.
    expect(summary.solvedBy).toBe('cost scaling');

    const matches = parse(readFileSync(out, 'utf8')) as string[][];
    expect(matches[0]).toEqual(['mentee_email', 'mentor_email', 'score', 'reasons']);
    expect(matches).toHaveLength(1 + 12);
    expect(matches).toContainEqual([
      'tom.hughes@example.com',
      'amara.okafor@example.com',
      '100',
      'both: data engineering, career change · mentor 7 years ahead · 8 h working-hours overlap · mentee asked for this mentor',
    ]);
    const unmatched = matches.filter((row) => row[1] === '');
    expect(unmatched).toHaveLength(3);
    for (const row of unmatched) expect(row[3]).toMatch(/^no eligible mentor: /);

    const eligible = parse(readFileSync(scores, 'utf8')) as string[][];
    expect(eligible[0]).toEqual(['mentee_email', 'mentor_email', 'score']);
    expect(eligible).toHaveLength(1 + summary.eligiblePairs);
    // Every matched pair is an eligible pair with the same score.
    for (const [mentee, mentor, score] of matches.slice(1).filter((row) => row[1] !== '')) {
      expect(eligible).toContainEqual([mentee, mentor, score]);
    }
  });

  it('matches a short-form cohort, its people alike, as groups: every place kept, every pair in the audit file', async () => {
    // A bootcamp's form asked for little: 60 beginners in one topic, in two cities; 20 mentors
    // of two places, four kinds of them.
    const dir = tempDir('tandem-');
    const csv = join(dir, 'applications.csv');
    const header =
      'email,name,role,organization,years_experience,topics,timezone,languages,capacity,preferred,avoid';
    const mentees = Array.from(
      { length: 60 },
      (_, i) =>
        `learner${i}@example.org,Learner ${i},mentee,,${i % 2},Python,${i % 3 === 0 ? 'Europe/London' : 'Europe/Berlin'},English,,,`,
    );
    const mentors = Array.from(
      { length: 20 },
      (_, j) =>
        `coach${j}@example.org,Coach ${j},mentor,,${4 + (j % 2)},Python;Career change,${j % 4 < 2 ? 'Europe/Berlin' : 'Europe/London'},English,2,,`,
    );
    writeFileSync(csv, `${[header, ...mentors, ...mentees].join('\n')}\n`);
    const out = join(dir, 'matches.csv');
    const scores = join(dir, 'scores.csv');
    const result = await runCli(['match', csv, '--out', out, '--scores-out', scores, '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ matched: 40, unmatched: 20, optimal: true, eligiblePairs: 1200 });
    // Both sides alike (two years and two cities of beginners, four kinds of coach): their
    // groups shipped to each other.
    expect(summary).toMatchObject({
      alikeGroups: { side: 'both', groups: 8 },
      solvedBy: 'groups by shortest paths',
    });
    const matches = (parse(readFileSync(out, 'utf8')) as string[][]).slice(1).filter((row) => row[1] !== '');
    const load = new Map<string, number>();
    for (const [, mentor] of matches) load.set(mentor ?? '', (load.get(mentor ?? '') ?? 0) + 1);
    expect([...load.values()]).toEqual(Array.from({ length: 20 }, () => 2));
    expect(parse(readFileSync(scores, 'utf8'))).toHaveLength(1 + 1200);
  });

  it('matches a large CSV on several threads, started while it reads: the optimum one thread finds', async () => {
    // A bootcamp of 4,000 × 4,000, every pair looked at (16 million; 14.6 million eligible):
    // large enough for the worker threads to start before reading (a file of 500 kB or more),
    // for scoring on several of them and for the solver's helper to share the table's scans.
    const { mentees, mentors } = syntheticCohort('bootcamp', 4000, 4000, 5, 1);
    const dir = tempDir('tandem-');
    const csv = join(dir, 'applications.csv');
    writeFileSync(csv, applicationsCsv([...mentors, ...mentees]));
    expect(statSync(csv).size).toBeGreaterThan(500_000);
    const out = join(dir, 'matches.csv');
    const result = await runCli(['match', csv, '--program', 'bench/program.yaml', '--out', out, '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout);
    const program = await loadProgramFile(join(projectRoot, 'bench', 'program.yaml'));
    const alone = solvePrepared(prepareMatching([...mentees, ...mentors], program)).summary;
    expect(summary).toMatchObject({
      optimal: true,
      matched: alone.matched,
      totalScore: alone.totalScore,
      eligiblePairs: alone.eligiblePairs,
    });
  }, 120_000);

  it('reports bad rows of the CSV by line and matches the good ones', async () => {
    const dir = tempDir('tandem-');
    const csv = join(dir, 'applications.csv');
    writeFileSync(
      csv,
      `${readFileSync(join(examples, 'applications.csv'), 'utf8')}x@example.com,X,mentee,,-1,t,UTC,,,,\n`,
    );
    const result = await runCli(['match', csv, '--out', join(dir, 'matches.csv')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✓ \d+ of 12 mentees matched to 8 mentors/);
    expect(result.stderr).toContain('line 22 years_experience: cannot be negative');
    expect(result.stderr).not.toMatch(stackTraceLine);
  });

  it('runs the README flow against `tandem dev`: launch, import, status, then stops cleanly', async () => {
    const dir = tempDir('tandem-');
    const example = parseProgram(readFileSync(join(examples, 'program.yaml'), 'utf8'));
    const program = shiftProgram(example, DateTime.now().setZone(example.timezone).toISODate() ?? '');
    writeFileSync(join(dir, 'program.yaml'), stringify(program));
    const badCsv = `${readFileSync(join(examples, 'applications.csv'), 'utf8')}x@example.com,X,mentee,,-1,t,UTC,,,,\n`;
    writeFileSync(join(dir, 'applications.csv'), badCsv);

    const dev = await startCli(['dev'], /Press Ctrl-C to stop/, { cwd: dir });
    try {
      expect(existsSync(join(dir, '.local', 'stack.json'))).toBe(true);
      // The printed contract: the API, and one line per dev account.
      expect(dev.output()).toMatch(/^API: http:\/\/127\.0\.0\.1:\d+$/m);
      expect(dev.output()).toMatch(/^Sign in: grace@example\.org \/ \S+$/m);
      expect(dev.output()).toMatch(/^Sign in: admin@example\.org \/ \S+$/m);

      // Nobody signed in: refused, and told how to sign in.
      const config = tempDir('tandem-config-');
      const anonymous = await runCli(['launch', 'program.yaml'], {
        cwd: dir,
        env: { XDG_CONFIG_HOME: config },
      });
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain('tandem login');
      expect(anonymous.stderr).not.toMatch(stackTraceLine);

      // A script signs in with client credentials: the dev admin client.
      const admin = devAdminClient();
      const env = {
        XDG_CONFIG_HOME: config,
        TANDEM_CLIENT_ID: admin.clientId,
        TANDEM_CLIENT_SECRET: admin.clientSecret,
      };
      const asAdmin = (args: string[], options: { cwd: string }) => runCli(args, { ...options, env });
      const launched = await asAdmin(['launch', 'program.yaml'], { cwd: dir });
      expect(launched.stdout).toContain('✓ launched cohort data-careers-spring-2027');
      const again = await asAdmin(['launch', 'program.yaml'], { cwd: dir });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already exists');

      const strict = await asAdmin(
        ['import', 'applications.csv', '--cohort', 'data-careers-spring-2027', '--strict'],
        {
          cwd: dir,
        },
      );
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('Nothing was imported');
      expect(strict.stderr).toContain('line 22 years_experience: cannot be negative');

      const lenient = await asAdmin(['import', 'applications.csv', '--cohort', 'data-careers-spring-2027'], {
        cwd: dir,
      });
      expect(lenient.code).toBe(1);
      expect(lenient.stdout).toContain('✓ 20 applications imported, 0 updated');
      expect(lenient.stderr).toContain('line 22 years_experience');

      const status = await asAdmin(['status', 'data-careers-spring-2027', '--json'], { cwd: dir });
      expect(JSON.parse(status.stdout)).toMatchObject({
        phase: 'intake',
        participants: { mentors: 8, mentees: 12 },
      });

      // The review flow: draft, change a setting, re-run with a comparison, approve once.
      const cohort = 'data-careers-spring-2027';
      const first = await asAdmin(['draft', cohort], { cwd: dir });
      expect(first.stdout).toContain(`Draft 1 of ${cohort}`);
      const capacity = await asAdmin(
        ['capacity', cohort, '--mentor', 'amara.okafor@example.com', '--capacity', '1'],
        { cwd: dir },
      );
      expect(capacity.stdout).toContain('✓ amara.okafor@example.com takes up to 1 mentees');
      const second = await asAdmin(['draft', cohort, '--json'], { cwd: dir });
      expect(JSON.parse(second.stdout)).toMatchObject({
        draft: { number: 2, settings: { capacityOverrides: { 'amara.okafor@example.com': 1 } } },
        comparison: { matchedDelta: 0 },
      });
      const approved = await asAdmin(['approve-draft', cohort], { cwd: dir });
      expect(approved.stdout).toContain(`✓ approved draft 2 of ${cohort}`);
      const late = await asAdmin(
        ['forbid', cohort, '--mentee', 'tom.hughes@example.com', '--mentor', 'amara.okafor@example.com'],
        {
          cwd: dir,
        },
      );
      expect(late.code).toBe(1);
      expect(late.stderr).toContain('already approved');
    } finally {
      dev.child.kill('SIGINT');
      await new Promise((resolve) => dev.child.once('exit', resolve));
    }
    expect(existsSync(join(dir, '.local', 'stack.json'))).toBe(false);
    expect(dev.output()).toContain('Stopping');
  });

  it('previews every email of the example cohort offline, as .eml files with an index', async () => {
    const out = tempDir('tandem-preview-');
    const result = await runCli(['preview', 'examples/program.yaml', '--out', out]);
    expect(result.code).toBe(0);
    const files = readdirSync(out).filter((name) => name.endsWith('.eml'));
    expect(files).toContain('2027-02-15-check-in-mentee-round-1.eml');
    expect(files).toContain('2027-07-19-closeout-survey-mentor-round-12.eml');
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index.match(/<tr>\n<td>\d{4}-\d{2}-\d{2}<\/td>/g)?.length).toBe(files.length);
    expect(index).toContain('Check-in 1 of 12: how are things with Alex?');
    const eml = readFileSync(join(out, '2027-02-15-check-in-mentee-round-1.eml'), 'utf8');
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(eml).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it('runs the main job: `tandem simulate` runs a whole cohort and its report agrees with its outbox', async () => {
    const out = tempDir('tandem-simulation-');
    const result = await runCli(['simulate', '--participants', '24', '--seed', '7', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ .*: closed after [\d.]+ s/);
    // Progress for people, not the handlers' INFO logs or metrics.
    expect(result.stdout).not.toMatch(/"level":"INFO"|"_aws":/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const phases = report.phases.map((p: { phase: string }) => p.phase);
    expect(phases.slice(0, 4)).toEqual(['intake', 'matching', 'approval', 'introductions']);
    expect(phases).toContain('round 12');
    expect(phases.slice(-3)).toEqual(['rounds', 'close-out', 'closed']);
    expect(report.participants.total).toBe(24);
    expect(report.pairs.total).toBeGreaterThan(0);
    // Every message of the cohort's ledger; courtesy replies (to whoever wrote where no one
    // reads) go out on counters of their own, without a ledger entry, and are not the cohort's.
    const files = readdirSync(join(out, 'outbox')).filter(
      (name) => name.endsWith('.eml') && !name.includes('-courtesy-reply-'),
    );
    expect(files).toHaveLength(report.emails.total);
    // Files are named NUMBER-DATE-KIND-RECIPIENT.eml (`nudge` is not `pair-nudge`).
    const ofKind = (kind: string) =>
      files.filter((name) => name.split('-').slice(4).join('-').startsWith(`${kind}-`)).length;
    for (const kind of ['match-announcement', 'check-in', 'nudge', 'thank-you', 'organizer-digest']) {
      expect(ofKind(kind), kind).toBe(report.emails[kind]);
      expect(ofKind(kind), kind).toBeGreaterThan(0);
    }
    expect(report.replies.total).toBeGreaterThan(0);
    expect(report.rounds).toHaveLength(12);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(report.program);
    // The same four files as `tandem report`, the CSVs with a row per pair and per round.
    expect(parse(readFileSync(join(out, 'pairs.csv'), 'utf8'))).toHaveLength(1 + report.pairs.total);
    expect(parse(readFileSync(join(out, 'rounds.csv'), 'utf8'))).toHaveLength(1 + 12);
    expect(result.stdout).toContain('Local stack stopped.');
  });
});
