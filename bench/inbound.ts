/**
 * Throughput of the inbound pipeline: every message of the reply corpus, over and over,
 * through `understandReply` (parse, strip quotes, classify, extract answers), one at a time on
 * the one core Node.js runs JavaScript on; then inputs built to be slow. Prints figures and
 * whether the targets hold: at least 500 messages/s, no message over 50 ms. Both are judged
 * on CPU time (what the one core spends on the message), which a busy shared machine does
 * not inflate; wall-clock figures are printed beside them.
 *
 *   npm run bench:inbound            (BENCH_ROUNDS=50 for a longer run)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { understandReply } from '../shared/inbound/understand-reply.ts';

const targetPerSecond = 500;
const targetMaxMs = 50;
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);

const corpusDir = join(import.meta.dirname, '..', 'tests', 'fixtures', 'replies');
const corpus = readdirSync(corpusDir)
  .filter((file) => file.endsWith('.eml'))
  .sort()
  .map((file) => ({ name: file, raw: readFileSync(join(corpusDir, file)) }));

const headersWith = (subject: string) =>
  `From: Anna <anna@example.org>\r\nTo: reply+Abc12345xyz@in.tandem.example\r\nSubject: ${subject}\r\n`;
const headers = headersWith('Re: check-in');
const plain = (body: string) => `${headers}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}`;
const html = (body: string) => `${headers}Content-Type: text/html; charset=utf-8\r\n\r\n${body}`;
/** A plain reply "yes" whose subject is `subject` (folded as mail clients fold long headers). */
const withSubject = (subject: string) =>
  `${headersWith(subject.replace(/(.{900})/g, '$1\r\n '))}Content-Type: text/plain; charset=utf-8\r\n\r\nyes\r\n`;
const kb60 = 60 * 1024;

/**
 * Inputs built to be slow: runs that make a regex with a trailing or overlapping character
 * class backtrack (quadratic in the run's length), the shapes that make email-reply-parser
 * backtrack, and sheer size.
 */
const pathological: { name: string; raw: string | Uint8Array }[] = [
  { name: '60 KB line of spaces and tabs, then a letter', raw: plain(`${' \t'.repeat(kb60 / 2)}x\n`) },
  { name: 'yes, then 60 KB of spaces and a letter', raw: plain(`yes\n${' '.repeat(kb60)}x\n`) },
  { name: '60 KB run of punctuation, then a letter', raw: plain(`yes ${'!.'.repeat(kb60 / 2)}x\n`) },
  { name: '60 KB of punctuation and spaces, then a word', raw: plain(`Pause ${'! '.repeat(kb60 / 2)}x\n`) },
  { name: '60 KB of dashes (a ruler that never ends)', raw: plain(`yes\n${'-'.repeat(kb60)} x\n`) },
  {
    name: '"Original Message", 60 KB of spaces, a letter',
    raw: plain(`yes\n-- Original Message${' '.repeat(kb60)}x\n`),
  },
  { name: 'topics separated by 60 KB of spaces', raw: plain(`Topics: a${' '.repeat(kb60)}b\n`) },
  { name: '"1" and 60 KB of spaces (numbered answer)', raw: plain(`1${' '.repeat(kb60)}x\n`) },
  {
    name: 'subject: 60 KB of spaces and tabs, then a letter',
    raw: withSubject(`Re:${' \t'.repeat(kb60 / 2)}x`),
  },
  { name: 'subject: 60 KB of punctuation', raw: withSubject(`Re: ${'!?'.repeat(kb60 / 2)}x`) },
  { name: 'subject: 20,000 "Re:" prefixes', raw: withSubject('Re: '.repeat(20_000)) },
  {
    name: 'numbered list of 5,000 answers',
    raw: plain(Array.from({ length: 5_000 }, (_, at) => `${at + 1}. yes, SQL tuning`).join('\n')),
  },
  { name: '60 KB of quote markers, then a letter', raw: plain(`${'>'.repeat(kb60)}x\n`) },
  { name: '60 KB of "> " quote markers, then a letter', raw: plain(`${'> '.repeat(kb60 / 2)}x\n`) },
  { name: '10,000 lines of quote markers only', raw: plain('> > > > > > > > > >\n'.repeat(10_000)) },
  {
    name: '"Op … schreef" lines (email-reply-parser backtracking)',
    raw: plain('Op schreef x\n'.repeat(5_000)),
  },
  { name: '"Am … schrieb … <" line, 65 KB', raw: plain(`Am ${'x schrieb x <'.repeat(5_000)}`) },
  {
    name: '" on … at …" lines without "wrote:"',
    raw: plain(` on ${'x'.repeat(2_000)} at ${'y'.repeat(2_000)}\n`.repeat(20)),
  },
  { name: '20,000 inline answers', raw: plain('> 1. Did you meet?\nyes\n'.repeat(20_000)) },
  { name: '200,000 blank lines', raw: plain('\n'.repeat(200_000)) },
  { name: 'HTML only, 100,000 nested quotes', raw: html(`${'<blockquote type="cite">'.repeat(100_000)}yes`) },
  {
    name: 'HTML only, 1 MB',
    raw: html(`<div>yes</div>${'<div>padding text for a large message</div>'.repeat(25_000)}`),
  },
  {
    name: 'SES maximum: 40 MB with an attachment',
    // As the Lambda gets it from S3: bytes, not a string.
    raw: Buffer.from(
      `${headers}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nyes\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${'QUJD'.repeat(10_000_000)}\r\n--b--\r\n`,
    ),
  },
];

interface Timing {
  wall: number;
  cpu: number;
}

async function time(raw: string | Uint8Array): Promise<Timing> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const understood = await understandReply(raw, { inboundDomain: 'in.tandem.example' });
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  if (!understood.ok) throw new Error(`not understood: ${understood.problem}`);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (value: number) => `${value.toFixed(2)} ms`;

// Warm up the JIT and the lazily built parsers, as a warm Lambda would be.
for (const message of corpus) await time(message.raw);

const durations: { name: string; timing: Timing }[] = [];
const started = performance.now();
const cpuStarted = process.cpuUsage();
for (let round = 0; round < rounds; round++) {
  for (const message of corpus) durations.push({ name: message.name, timing: await time(message.raw) });
}
const seconds = (performance.now() - started) / 1000;
const cpuUsed = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
const perSecond = durations.length / cpuSeconds;
const sortedCpu = durations.map((each) => each.timing.cpu).sort((a, b) => a - b);
const sortedWall = durations.map((each) => each.timing.wall).sort((a, b) => a - b);
const slowest = durations.reduce((a, b) => (b.timing.cpu > a.timing.cpu ? b : a));

console.log(
  `Corpus: ${corpus.length} messages × ${rounds} rounds = ${durations.length} messages in ${cpuSeconds.toFixed(2)} s of CPU (${seconds.toFixed(2)} s wall)`,
);
console.log(
  `  throughput  ${Math.round(perSecond)} messages/s of CPU (target ≥ ${targetPerSecond}); ${Math.round(durations.length / seconds)} messages/s wall`,
);
console.log(
  `  per message CPU p50 ${ms(percentile(sortedCpu, 50))}, p99 ${ms(percentile(sortedCpu, 99))}, max ${ms(slowest.timing.cpu)} (${slowest.name}); wall p50 ${ms(percentile(sortedWall, 50))}, p99 ${ms(percentile(sortedWall, 99))}`,
);

console.log('Pathological inputs (slowest of 3 runs each, CPU and wall):');
let worst = slowest.timing.cpu;
for (const input of pathological) {
  let cpu = 0;
  let wall = 0;
  for (let run = 0; run < 3; run++) {
    const timing = await time(input.raw);
    cpu = Math.max(cpu, timing.cpu);
    wall = Math.max(wall, timing.wall);
  }
  worst = Math.max(worst, cpu);
  console.log(`  ${ms(cpu).padStart(10)}  ${ms(wall).padStart(10)}  ${input.name}`);
}

const met = perSecond >= targetPerSecond && worst <= targetMaxMs;
console.log(
  `${met ? '✓' : '✗'} ${Math.round(perSecond)} messages/s, slowest message ${ms(worst)} of CPU (targets: ≥ ${targetPerSecond}/s, ≤ ${targetMaxMs} ms)`,
);
if (!met) process.exitCode = 1;
