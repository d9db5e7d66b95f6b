import { writeReply } from './local/simulation/reply-writer.ts';
import { understandReply } from './shared/inbound/understand-reply.ts';
import { composeEmail } from './shared/email/compose-email.ts';
import { loadProgramFile } from './shared/program/load-program.ts';
const program = await loadProgramFile('examples/program.yaml');
const e = composeEmail({ cohort: { id: 'c', program }, kind: 'check-in', round: 3, recipient: { recipientId: 'abc', name: 'Tom Hughes', email: 'tom@example.com', audience: 'mentee', linkToken: 'tok' }, thread: 'pair-x', replyKey: 'abcdefghijklmnop', context: { partner: { name: 'Amara Okafor', firstName: 'Amara' }, round: { number: 3, total: 12 }, previousActionItems: ['Read chapter 3', 'Draft plan'] } }, { inboundDomain: 'reply.tandem.localhost', publicUrl: 'http://x', fallbackSender: 't@x' });
const bodies = ['yes\nSQL tuning, career change\nFinish the dbt course; ask my manager about the rotation\n4', '1. Yes\n2. SQL\n3. Finish the dbt course\n4. 5', 'Met: no\nTopics: -\nAction items: reschedule\nRating: 3', 'Yes we met last Tuesday! We talked about SQL tuning. I will finish the dbt course.', 'pause', 'Ja\nSQL, Karrierewechsel\nden dbt-Kurs abschließen\n4'];
for (const client of ['gmail','outlook','apple-mail','thunderbird','iphone','outlook-mobile'] as const) {
  for (const body of bodies) {
    const raw = await writeReply({ from: { name: 'Tom Hughes', email: 'tom@example.com' }, to: e.replyTo!, original: { subject: e.subject, text: e.text, from: 'Data Careers Mentoring <mentoring@example.org>', date: new Date('2027-03-15T08:00:00Z') }, body, client, date: new Date('2027-03-15T14:00:00Z') });
    const r = await understandReply(raw, { inboundDomain: 'reply.tandem.localhost', role: 'mentee' });
    if (!r.ok) { console.log(client, 'NOT OK', r.problem); continue; }
    console.log(client.padEnd(15), r.reply.kind, JSON.stringify(r.reply.answers), r.reply.intent, JSON.stringify(r.reply.note).slice(0,80), r.reply.replyKey);
  }
}
