/**
 * Tandem's default emails. Each template is Handlebars over Markdown: the rendered Markdown
 * is the plain-text part as is, and its HTML rendering is the HTML part, so both always say
 * the same thing. Organizers override any template per program (`email.templates` in the
 * program file); `{{> greeting}}` and `{{> signature}}` follow the program's tone.
 *
 * Principles: the mentee drives (agenda, action items, updates), the mentor gets a lighter
 * touch, nothing asks for a big commitment, and every email that wants an answer says how to
 * give one in a line or two.
 */
export interface EmailTemplate {
  subject: string;
  body: string;
}

const howToAnswer = `Just reply to this email — a line per question is enough.`;

const shortWords = `Short replies work too: **pause** (take a break), **exit** (leave the program, no questions asked), **rematch** (ask for a different partner) or **unsubscribe** (no more emails).`;

export const defaultTemplates = {
  'application-received': {
    subject: 'Please confirm your application to {{program.name}}',
    body: `{{> greeting}}

Thank you for applying to **{{program.name}}** as a {{recipient.role}}.

Please confirm that it was you who applied — until you do, we won't match you with anyone:

- open this link and press the button: {{links.confirm}}
- or simply reply to this email with the word **confirm**.

If you didn't apply, ignore this email and we won't write again.

What happens next: applications close on {{cohort.intakeClosesLabel}}. The program starts on {{cohort.startLabel}} with an introduction to your {{recipient.partnerRole}}. It runs until {{cohort.endLabel}}, with a short check-in email {{cohort.cadenceLabel}}.

{{> signature}}`,
  },

  'application-change': {
    subject: 'Please confirm the changes to your application to {{program.name}}',
    body: `{{> greeting}}

Someone — we hope you — asked to change your application to **{{program.name}}** to this:

- name: {{change.name}}
- role: {{change.role}}
- years of experience: {{change.years}}
- topics: {{change.topics}}
- languages: {{change.languages}}
- time zone: {{change.timezone}}{{#if change.organization}}
- organization: {{change.organization}}{{/if}}{{#if change.preferred}}
- preferred partners: {{change.preferred}}{{/if}}{{#if change.avoid}}
- people to avoid: {{change.avoid}}{{/if}}

Nothing changes until you confirm:

- open this link and press the button: {{links.change}}
- or simply reply to this email with the word **confirm**.

If you didn't ask for this, ignore this email: your application stays as it is.

{{> signature}}`,
  },

  'match-announcement.mentee': {
    subject: 'Meet your mentor: {{partner.name}}',
    body: `{{> greeting}}

{{#if rematch}}Here is your new match in **{{program.name}}**: your mentor is now **{{partner.name}}**{{else}}Welcome to **{{program.name}}**! Your mentor is **{{partner.name}}**{{/if}}{{#if partner.organization}} ({{partner.organization}}){{/if}}. You can write to them at {{partner.email}}{{#if partner.timezone}} — they are on {{partner.timezone}} time{{/if}}.

Why you two: {{#each pair.reasons}}{{#unless @first}} · {{/unless}}{{this}}{{/each}}.

You drive this mentorship. A good first step: email {{partner.firstName}} this week and suggest a 30-minute call. For that first meeting:

1. Share where you are and where you want to go in the next six months.
2. Pick **one or two topics** to start with — {{#if pair.sharedTopics.length}}for example {{#each pair.sharedTopics}}{{#unless @first}}, {{/unless}}{{this}}{{/each}}{{else}}whatever matters most to you now{{/if}}.
3. Agree how often you'll meet. Every few weeks is plenty to start.
4. End with one or two **action items** for yourself, and tell {{partner.firstName}} how they went at the start of the next meeting.

Every {{cohort.cadenceNoun}} we'll send you a short check-in. Answering takes a minute.

${shortWords}

{{> signature}}`,
  },

  'match-announcement.mentor': {
    subject:
      '{{#if partners.[1]}}Meet your mentees: {{partnerNames}}{{else}}Meet your mentee: {{partner.name}}{{/if}}',
    body: `{{> greeting}}

Thank you for mentoring in **{{program.name}}**.{{#if rematch}} You have a free place, so a mentee looking for a new partner joins you from the next check-in on.{{/if}} {{#if partners.[1]}}Your mentees are:{{else}}Your mentee is:{{/if}}

{{#each partners}}
- **{{name}}**{{#if organization}} ({{organization}}){{/if}}, at {{email}}{{#if timezone}} ({{timezone}} time){{/if}}. Why you two: {{#each reasons}}{{#unless @first}} · {{/unless}}{{this}}{{/each}}.
{{/each}}

{{partnerFirstNames}} will get in touch to set up a first call. Your part is light: show up, listen a lot, ask questions, and share your experience when it helps. You are a few steps ahead on the path {{#if partners.[1]}}they are{{else}}{{partner.firstName}} is{{/if}} taking — that is exactly what makes your view useful.

We'll check in with you now and then with a question or two; {{#if partners.[1]}}your mentees get{{else}}your mentee gets{{/if}} the longer check-ins.

${shortWords}

{{> signature}}`,
  },

  'check-in.mentee': {
    subject: 'Check-in {{round.number}} of {{round.total}}: how are things with {{partner.firstName}}?',
    body: `{{> greeting}}

Time for a quick check-in on your mentorship with {{partner.name}}. ${howToAnswer}

1. Did you meet {{#if round.isFirst}}since your introduction{{else}}since the last check-in{{/if}}? (yes / no)
2. Which one or two topics did you talk about?
3. Which action items did you commit to?
4. Optional: how useful was it, from 1 (not at all) to 5 (very)?
{{#if previousActionItems.length}}

Last time you committed to:
{{#each previousActionItems}}
- {{this}}
{{/each}}

How did they go? A line on each helps you, and makes a great start for your next meeting with {{partner.firstName}}.
{{/if}}

${shortWords}

{{> signature}}`,
  },

  'check-in.mentor': {
    subject: 'Check-in {{round.number}} of {{round.total}}: a quick one about {{partnerFirstNames}}',
    body: `{{> greeting}}

Two quick questions about your mentorship with {{partnerNames}} — reply with a line each:

1. Did you meet {{#if round.isFirst}}since your introduction{{else}}since the last check-in{{/if}}? (yes / no)
2. Anything the organizers should know? (optional)

${shortWords}

{{> signature}}`,
  },

  'nudge.mentee': {
    subject: 'Reminder: check-in {{round.number}} with {{partner.firstName}}',
    body: `{{> greeting}}

A gentle reminder: we haven't heard from you for check-in {{round.number}}. Even "no, we haven't met yet" is a useful answer. ${howToAnswer}

1. Did you meet {{#if round.isFirst}}since your introduction{{else}}since the last check-in{{/if}}? (yes / no)
2. Which one or two topics did you talk about?
3. Which action items did you commit to?
4. Optional: how useful was it, from 1 to 5?

If now is a busy time, reply **pause** and we'll stop the check-ins until you're back.

{{> signature}}`,
  },

  'nudge.mentor': {
    subject: 'Reminder: check-in {{round.number}} about {{partnerFirstNames}}',
    body: `{{> greeting}}

A gentle reminder about check-in {{round.number}}: did you and {{partnerNames}} meet since the last one? A one-word reply is enough.

If now is a busy time, reply **pause** and we'll stop the check-ins until you're back.

{{> signature}}`,
  },

  'pair-nudge': {
    subject: 'How is it going with {{partner.firstName}}?',
    body: `{{> greeting}}

{{program.organizerName}} asked us to check in with you: how is it going with {{partner.name}}? Have you met since check-in {{round.number}}?

A line is enough — "we met last week", "haven't managed yet", "haven't heard from them" — and it goes straight to the organizers, who are glad to help.

If now is a busy time, reply **pause**; if this pairing isn't working, reply **rematch** and we'll find you someone new, at no one's fault.

{{> signature}}`,
  },

  'midpoint-survey.mentee': {
    subject: 'Half-way through {{program.name}}: how is it going?',
    body: `{{> greeting}}

You are half-way through {{program.name}}. Instead of the usual check-in, four questions about your mentorship with {{partner.name}}. ${howToAnswer}

1. Did you meet since the last check-in? (yes / no)
2. How useful has the mentorship been so far, from 1 (not at all) to 5 (very)?
3. For the second half: **continue**, **change focus**, a **new partner**, or **finish here**?
4. What would make the second half more useful?

If it isn't working, that's fine and nobody is at fault: a new partner or finishing here are both good answers, and **exit** leaves the program.

{{> signature}}`,
  },

  'midpoint-survey.mentor': {
    subject: 'Half-way through {{program.name}}: how is it going?',
    body: `{{> greeting}}

You are half-way through {{program.name}}. Four questions about your mentorship with {{partnerNames}}:

1. Did you meet since the last check-in? (yes / no)
2. How is it going, from 1 (stuck) to 5 (great)?
3. For the second half: **continue**, **change focus**, a **new partner**, or **finish here**?
4. Anything we should know?

If it isn't working, that's fine and nobody is at fault: a new partner or finishing here are both good answers, and **exit** leaves the program.

{{> signature}}`,
  },

  'closeout-survey.mentee': {
    subject: '{{program.name}} ends on {{cohort.endLabel}}: a last check-in',
    body: `{{> greeting}}

{{program.name}} ends on {{cohort.endLabel}}. Thank you for driving your mentorship with {{partner.name}}. A last check-in — ${howToAnswer.toLowerCase()}

1. How useful was the mentorship overall, from 1 (not at all) to 5 (very)?
2. How likely are you to recommend {{program.name}} to a friend or colleague, from 0 (not at all) to 10 (extremely)?
3. What is the most useful thing you take away?
4. Would you like to mentor someone in a future cohort? (yes / no)

{{> signature}}`,
  },

  'closeout-survey.mentor': {
    subject: '{{program.name}} ends on {{cohort.endLabel}}: a last check-in',
    body: `{{> greeting}}

{{program.name}} ends on {{cohort.endLabel}}. Thank you for mentoring {{partnerNames}}. A last check-in — ${howToAnswer.toLowerCase()}

1. How did it go overall, from 1 (stuck) to 5 (great)?
2. How likely are you to recommend {{program.name}} to a friend or colleague, from 0 (not at all) to 10 (extremely)?
3. Anything we should do differently?
4. Would you mentor again in a future cohort? (yes / no)

{{> signature}}`,
  },

  'pause-confirmation': {
    subject: 'Check-ins paused',
    body: `{{> greeting}}

Done: we've paused your check-ins for {{program.name}}. Your {{recipient.partnerRole}} stays your {{recipient.partnerRole}}.

When you're ready to pick up again, reply **resume** to this email.

{{> signature}}`,
  },

  'exit-request': {
    subject: 'Do you want to leave {{program.name}}?',
    body: `{{> greeting}}

We received an email asking to end your place in **{{program.name}}**, but we could not verify that it came from your address, so nothing has changed.

If it was you, confirm here and we will take you out, no questions asked: {{links.exit}}

If it wasn't you, ignore this email: you stay in the program.

{{> signature}}`,
  },

  'unsubscribe-request': {
    subject: 'Do you want to stop all emails from {{program.name}}?',
    body: `{{> greeting}}

We received an email asking us to stop all emails from **{{program.name}}** to you, but we could not verify that it came from your address, so nothing has changed.

If it was you, confirm here: {{links.unsubscribe}}

If it wasn't you, ignore this email.

{{> signature}}`,
  },

  'exit-confirmation': {
    subject: 'You have left {{program.name}}',
    body: `{{> greeting}}

You have left {{program.name}}. Thank you for taking part — leaving is a normal part of any program and nobody is at fault. We'll let your {{recipient.partnerRole}} know kindly, without details.

You won't get any more check-ins. If this was a mistake, write to {{program.organizerEmail}}.

{{> signature}}`,
  },

  'rematch-confirmation': {
    subject: 'We are looking for a new match',
    body: `{{> greeting}}

Thanks for telling us. We've asked the organizers of {{program.name}} to find you a new {{recipient.partnerRole}}; this happens at no one's fault and your current {{recipient.partnerRole}} will only hear that the pairing ended.

We'll email you as soon as there is a new match. Reply **exit** if you would rather leave the program.

{{> signature}}`,
  },

  'rematch-unplaceable': {
    subject: 'About your new match in {{program.name}}',
    body: `{{> greeting}}

We looked for a new {{recipient.partnerRole}} for you in {{program.name}}, and right now nobody with a free place fits what you asked for. That says nothing about you: the places are simply taken. The organizers know, and {{program.organizerName}} will get in touch about what we can do.

You stay in the program in the meantime. Reply **exit** if you would rather leave, no questions asked.

{{> signature}}`,
  },

  'partner-check': {
    subject: 'How is it going with {{partnerFirstNames}}?',
    body: `{{> greeting}}

Thank you for answering the check-ins of {{program.name}}. We haven't heard from {{partnerNames}} for {{ladder.checkIns}} check-ins, so we'd like to ask you: how is it going?

A line is enough:

- **we met** — all is well, we'll carry on as before;
- **haven't heard from them** — we'll take it from here, kindly and at no one's fault.

Anything else you'd like the organizers to know is welcome too.

{{> signature}}`,
  },

  'midpoint-thanks': {
    subject: 'Thank you, {{recipient.firstName}}: your pairing in {{program.name}} ends here',
    body: `{{> greeting}}

At the mid-point of {{program.name}}, the organizers and you agreed that your pairing with {{partner.name}} ends here. That is a normal, healthy outcome: not every pairing fits, and nobody is at fault.

Thank you for the time and care you gave it. If you would like a new {{recipient.partnerRole}} for the second half, reply **rematch**; if you would rather step back, there is nothing to do — you won't get more check-ins about this pairing.

{{> signature}}`,
  },

  'close-offer': {
    subject: 'Is now a good time for {{program.name}}?',
    body: `{{> greeting}}

We haven't heard from you about your mentorship with {{partnerNames}} for {{ladder.checkIns}} check-ins. That's all right: life gets busy, and nobody is at fault.

If now isn't the time, we can close the pairing kindly and find {{partnerFirstNames}} a new {{recipient.partnerRole}} — you don't need to do anything for that: if we don't hear from you by the next check-in, we will.

If you'd like to carry on, just reply **we met**, or tell us how it is going. Reply **pause** to take a break instead, or **exit** to leave the program.

{{> signature}}`,
  },

  'pair-closed': {
    subject: 'Your pairing in {{program.name}} has ended',
    body: `{{> greeting}}

{{#if ladder.leftBehind}}We haven't heard from {{partnerNames}} for a while, so we have closed the pairing — at no one's fault. Thank you for keeping up your side.

We're looking for a new {{recipient.partnerRole}} for you and will introduce you as soon as there is a good match.{{else}}As we hadn't heard from you for a while, we have closed your pairing with {{partnerNames}} — at no one's fault, and with no need to explain.

You stay in {{program.name}} and the check-ins stop for this pairing. If you'd like to take part again later, write to {{program.organizerEmail}}.{{/if}}

{{> signature}}`,
  },

  'thank-you': {
    subject: 'Thank you for {{program.name}}',
    body: `{{> greeting}}

{{program.name}} has come to an end. Thank you for the time and care you gave it.

What comes next:

- Keep in touch with {{#if partner.firstName}}{{partner.firstName}}{{else}}your partner{{/if}} if you both want to — many mentorships continue informally.
- Pass it on: the best mentors are a few steps ahead of their mentee. Someone is a few steps behind you right now.
- The next cohort will be announced by {{program.organizerName}}.

{{> signature}}`,
  },

  'organizer-digest': {
    subject: '{{program.name}}: digest for check-in {{digest.round}}',
    body: `Hello {{recipient.firstName}},

Here is where {{program.name}} stands after check-in {{digest.round}} of {{digest.totalRounds}}.
{{#if digest.isMidpoint}}

This is the **mid-point review**: participants answered a short survey instead of the usual check-in (how useful the pairing is, whether to continue, change focus, rematch or end, and one thing that would help). The pairs to act on are below, by reason — a friendly note, a rematch or a kind ending now gives everyone half a program to benefit.
{{/if}}

- Participants checked in with: {{digest.sent}}
- Answered: {{digest.answered}}
- Pairs that met: {{digest.pairsMet}} of {{digest.pairs}}
{{#each digest.groups}}

**{{heading}}**

{{#each items}}
{{number}}. **{{title}}** — {{evidence}} Reply: {{#each commands}}{{#unless @first}} · {{/unless}}\`{{this}}\`{{/each}}
{{/each}}
{{/each}}
{{#if digest.proposals.length}}

**Rematches waiting for your approval** (reply \`approve\` to introduce them all):

{{#each digest.proposals}}
- {{mentee}} with mentor {{mentor}}, score {{score}}, from check-in {{round}}
{{/each}}
{{/if}}
{{#if digest.notices.length}}

For your information:
{{#each digest.notices}}
- {{this}}
{{/each}}
{{/if}}
{{#if digest.groups.length}}

**To act, reply to this email** with one command a line, e.g. \`close 3\`, \`rematch 2\`, \`nudge 1\`, \`approve\`. A pair closed ends at no one's fault{{#if digest.isMidpoint}}, with a thank-you to both{{/if}}; \`rematch\` finds a new partner with the same matching, over the places still free. We'll confirm what was done.
{{else}}{{#if digest.proposals.length}}

**To act, reply to this email** with \`approve\`. We'll confirm what was done.
{{else}}

Nothing needs your decision this time.
{{/if}}{{/if}}

— Tandem`,
  },

  'approval-request': {
    subject:
      '{{#if approval.escalation}}Waiting for you: {{else}}{{#if approval.reminder}}Reminder: {{/if}}{{/if}}{{program.name}}: the match draft is ready for your review',
    body: `Hello {{recipient.firstName}},
{{#if approval.escalation}}

The match draft of {{program.name}} has waited for approval for days. Participants are waiting for their introductions: please review and approve it now, or ask another organizer to.
{{else}}{{#if approval.reminder}}

A reminder: the match draft below still waits for your approval.
{{/if}}{{/if}}

Matching for {{program.name}} is done: {{approval.matched}} mentees are matched and {{approval.unmatched}} are not.

Review the draft with \`tandem draft {{cohort.id}}\`, adjust it if needed (pin, forbid, capacity), then approve it with:

    tandem approve {{cohort.id}}

Nobody hears about their match before you approve. Introductions go out as soon as you do.

— Tandem`,
  },

  'organizer-alert': {
    subject: '{{program.name}}: the cohort workflow needs you',
    body: `Hello {{recipient.firstName}},

The workflow of {{program.name}} stopped{{#if alert.step}} at the step **{{alert.step}}**{{/if}}:

    {{alert.error}}

Nothing is lost: every email sent and every reply received is stored, and no email will be sent twice. Once the cause is fixed, continue where it stopped with:

    tandem restart {{cohort.id}}

— Tandem`,
  },

  'organizer-report': {
    subject: '{{program.name}} is over: the cohort report',
    body: `Hello {{recipient.firstName}},

{{program.name}} has come to an end. The cohort report is attached as **report.html**: it opens in any browser, also offline, and reads well on a phone.

At a glance:

- Participants: {{report.participants}}, in {{report.pairs}} pairs
- Check-ins answered: {{report.responseRate}}
- Pairs that met, round by round: {{report.meetingRate}}
- Net Promoter Score: {{report.nps}}
- Rematches carried out: {{report.rematches}}; participants who left: {{report.exits}}

Participants' names, email addresses and replies are kept until **{{report.keptUntil}}**, {{report.retentionDays}} days after the last day of the cohort, and then deleted for good; the report's figures stay, without names. To keep your own records of the cohort before then, export them with \`tandem export {{cohort.id}}\`.

— Tandem`,
  },

  'rematch-proposal': {
    subject: '{{program.name}}: new partners to approve',
    body: `Hello {{recipient.firstName}},

Tandem found new partners for the people waiting for a rematch in {{program.name}}, with the same matching as the first draft, over the places still free:

{{#each rematch.proposals}}
- **{{menteeName}}** with mentor **{{mentorName}}** — score {{score}}, joining from check-in {{round}}. Why: {{#each reasons}}{{#unless @first}} · {{/unless}}{{this}}{{/each}}.
{{/each}}

To approve them all, reply to this email with **approve**, or run:

    tandem approve-rematch {{cohort.id}}

Both sides of each new pair get their introduction as soon as you approve.

— Tandem`,
  },

  'organizer-confirmation': {
    subject: 'Re: {{program.name}}: what your reply did',
    body: `Hello {{recipient.firstName}},
{{#if confirmation.refused}}

We received a reply to your digest of {{program.name}} that we could not verify as coming from you ({{confirmation.refused}}), so **nothing was done**. Reply again from your own address, or act with the \`tandem\` CLI.
{{else}}
{{#if confirmation.done.length}}

Done:
{{#each confirmation.done}}
- {{this}}
{{/each}}
{{/if}}
{{#if confirmation.notDone.length}}

Not done:
{{#each confirmation.notDone}}
- {{this}}
{{/each}}
{{/if}}
{{#if confirmation.notUnderstood.length}}

Not understood (one command a line: \`close 3\`, \`rematch 2\`, \`nudge 1\`, \`approve\`):
{{#each confirmation.notUnderstood}}
- {{this}}
{{/each}}
{{/if}}
{{/if}}

— Tandem`,
  },

  'courtesy-reply': {
    subject: 'About your email to {{program.name}}',
    body: `Hello,

Thanks for your email. {{courtesy.reason}}

If you need help, write to {{program.organizerEmail}}.

— {{program.name}}`,
  },
} satisfies Record<string, EmailTemplate>;

export type TemplateId = keyof typeof defaultTemplates;
export const templateIds = Object.keys(defaultTemplates) as TemplateId[];

/**
 * Partials that follow the program's tone. A partial alone on its line swallows that line's
 * newline, so the greeting brings its own.
 */
export const tonePartials = {
  warm: {
    greeting: 'Hi {{recipient.firstName}},\n',
    signature: 'Warmly,\n{{program.signature}}',
  },
  formal: {
    greeting: 'Dear {{recipient.name}},\n',
    signature: 'Kind regards,\n{{program.signature}}',
  },
} as const;

export type Tone = keyof typeof tonePartials;
