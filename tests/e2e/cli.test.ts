import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseProgram } from '../../shared/program/load-program.ts';
import { shiftProgram } from '../../shared/program/shift-program.ts';
import { projectRoot, runCli, stackTraceLine, startCli } from '../support/cli.ts';

const examples = join(projectRoot, 'examples');

describe('tandem CLI', () => {
  it('validates the example program', async () => {
    const result = await runCli(['validate', 'examples/program.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ examples/program.yaml is valid');
  });

  it('explains a broken program with lines and hints, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'tandem-'));
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
      'dev',
      'demo',
    ]) {
      expect(root.stdout).toContain(command);
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: tandem ${command}`);
    }
  });

  it('runs the README flow against `tandem dev`: launch, import, status, then stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-'));
    const example = parseProgram(readFileSync(join(examples, 'program.yaml'), 'utf8'));
    const program = shiftProgram(example, DateTime.now().setZone(example.timezone).toISODate() ?? '');
    writeFileSync(join(dir, 'program.yaml'), stringify(program));
    const badCsv = `${readFileSync(join(examples, 'applications.csv'), 'utf8')}x@example.com,X,mentee,,-1,t,UTC,,,,\n`;
    writeFileSync(join(dir, 'applications.csv'), badCsv);

    const dev = await startCli(['dev'], /Press Ctrl-C to stop/, { cwd: dir });
    try {
      expect(existsSync(join(dir, '.local', 'stack.json'))).toBe(true);
      const launched = await runCli(['launch', 'program.yaml'], { cwd: dir });
      expect(launched.stdout).toContain('✓ launched cohort data-careers-spring-2027');
      const again = await runCli(['launch', 'program.yaml'], { cwd: dir });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already exists');

      const strict = await runCli(
        ['import', 'applications.csv', '--cohort', 'data-careers-spring-2027', '--strict'],
        {
          cwd: dir,
        },
      );
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('Nothing was imported');
      expect(strict.stderr).toContain('line 22 years_experience: cannot be negative');

      const lenient = await runCli(['import', 'applications.csv', '--cohort', 'data-careers-spring-2027'], {
        cwd: dir,
      });
      expect(lenient.code).toBe(1);
      expect(lenient.stdout).toContain('✓ 20 applications imported, 0 updated');
      expect(lenient.stderr).toContain('line 22 years_experience');

      const status = await runCli(['status', 'data-careers-spring-2027', '--json'], { cwd: dir });
      expect(JSON.parse(status.stdout)).toMatchObject({
        phase: 'intake',
        participants: { mentors: 8, mentees: 12 },
      });
    } finally {
      dev.child.kill('SIGINT');
      await new Promise((resolve) => dev.child.once('exit', resolve));
    }
    expect(existsSync(join(dir, '.local', 'stack.json'))).toBe(false);
    expect(dev.output()).toContain('Stopping');
  });

  it('previews every email of the example cohort offline, as .eml files with an index', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tandem-preview-'));
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

  it('runs the main job: `tandem demo` finishes on its own', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('20 created, 0 rejected');
    expect(result.stdout).toContain('same email again → updated, not duplicated');
    expect(result.stdout).toContain('Local stack stopped.');
  });
});
