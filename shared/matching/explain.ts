import { evaluatePair, type IneligibilityReason, reasonOfCode, stepsAheadFit } from './pair-scores.ts';
import {
  pairFlags,
  type ScoringModel,
  sharedTopicIds,
  sharedTopicWeight,
  sharedTopicWeights,
} from './scoring.ts';

/** How many reasons a pair's explanation lists, strongest first. */
const reasonsPerPair = 4;

const ruleWords: Record<IneligibilityReason, string> = {
  forbidden: 'forbidden by the organizer',
  avoid: 'asked to avoid',
  'same-organization': 'same organization',
  'earlier-partner': 'earlier partner',
  'not-ahead': 'not ahead in experience',
  'no-shared-language': 'no shared language',
  'no-shared-topic': 'no shared topic',
  'below-min-score': 'below the minimum score',
};

export const describeRule = (reason: IneligibilityReason) => ruleWords[reason];

/** The reasons a pair scores what it does, in plain words, strongest first. */
export function explainPair(model: ScoringModel, i: number, j: number): string[] {
  const p = model.params;
  const mentee = model.mentees[i];
  const mentor = model.mentors[j];
  if (!mentee || !mentor) return [];
  const reasons: { points: number; text: string }[] = [];

  const topics = sharedTopicIds(model, i, j);
  if (topics.length > 0) {
    const total = model.menteeTopicTotal[i] ?? 0;
    const names = topics.map((id) => menteeWording(model, i, id));
    reasons.push({
      points: total > 0 ? (p.topics * sharedTopicWeight(model, i, j)) / total : 0,
      text: `both: ${names.join(', ')}`,
    });
  }
  const lead = mentor.years_experience - mentee.years_experience;
  reasons.push({
    points: p.stepsAhead * stepsAheadFit(lead, p.idealLead),
    text: `mentor ${formatNumber(lead)} ${lead === 1 ? 'year' : 'years'} ahead`,
  });
  const hours =
    model.overlapHours[(model.menteeZone[i] ?? 0) * model.zoneCount + (model.mentorZone[j] ?? 0)] ?? 0;
  if (hours > 0) {
    reasons.push({
      points: p.timezone * hours,
      text: `${formatNumber(Math.round(hours * 2) / 2)} h working-hours overlap`,
    });
  }
  const languages = mentee.languages.filter((language) => mentor.languages.includes(language));
  if (languages.length > 0) {
    reasons.push({ points: p.language, text: `both speak ${languages.map(capitalize).join(', ')}` });
  }
  // A wish someone wrote down always shows, after the strongest scoring reasons.
  const wish = pairFlags(model, i, j).preferred
    ? [
        mentee.preferred.includes(mentor.email)
          ? 'mentee asked for this mentor'
          : 'mentor asked for this mentee',
      ]
    : [];
  return reasons
    .filter((reason) => reason.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, reasonsPerPair - wish.length)
    .map((reason) => reason.text)
    .concat(wish);
}

/**
 * Why mentee i has no mentor in an optimal matching: no mentor passes the rules (with the
 * rules that stopped them), every pair scores below the minimum, or every eligible mentor's
 * places went to mentees they suit better. `eligibleMentors` is the mentee's count of eligible
 * pairs, as scored; only a mentee with none needs every mentor looked at again for the why.
 */
export function explainUnmatched(model: ScoringModel, i: number, eligibleMentors: number): string {
  if (eligibleMentors > 0) return eligibleFull(eligibleMentors);
  if (model.mentors.length === 0) return 'no eligible mentor: there are no mentors';
  const counts = new Map<IneligibilityReason, number>();
  let eligible = 0;
  let best = -1;
  // Every mentor's shared weight at once: a cohort's unplaceable mentees each read every mentor.
  const weights = sharedTopicWeights(model, i);
  for (let j = 0; j < model.mentors.length; j++) {
    const value = evaluatePair(model, i, j, weights[j] ?? 0, pairFlags(model, i, j), true);
    if (value < 0) {
      const reason = reasonOfCode(value);
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    } else if (value < model.params.minTenths) {
      best = Math.max(best, value);
    } else {
      eligible++;
    }
  }
  if (eligible > 0) return eligibleFull(eligible);
  if (best >= 0) {
    return `below minimum score: the best pair scores ${formatNumber(best / 10)}, the program's minimum is ${formatNumber(model.params.minTenths / 10)}`;
  }
  const rules = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${count} ${ruleWords[reason]}`);
  return `no eligible mentor: ${rules.join(', ')}`;
}

const eligibleFull = (eligible: number) =>
  `eligible mentors full: all ${eligible} eligible ${eligible === 1 ? 'mentor is' : 'mentors are'} at capacity with mentees they suit better`;

/** The mentee's own spelling of a topic they share with a mentor. */
function menteeWording(model: ScoringModel, i: number, topicId: number): string {
  const key = model.topicKeys[topicId];
  const mentee = model.mentees[i];
  return mentee?.topics.find((topic) => model.topicKeyOf(topic) === key) ?? key ?? '';
}

const formatNumber = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
