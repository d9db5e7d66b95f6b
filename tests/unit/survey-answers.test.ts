import { describe, expect, it } from 'vitest';
import { mergeReply, type ReplyContent } from '../../shared/cohorts/answer.ts';
import { readSurvey } from '../../shared/inbound/survey-answers.ts';
import { replyContent } from '../support/reply-content.ts';

describe('reading the surveys’ answers', () => {
  it('reads the mid-point survey numbered, labelled or line by line', () => {
    expect(readSurvey('1. Yes\n2. 4\n3. change focus\n4. More on interviewing', 'midpoint-survey')).toEqual({
      usefulness: 4,
      decision: 'change-focus',
      help: 'More on interviewing',
    });
    expect(readSurvey('Met: yes\nUseful: 2\nSecond half: a new partner please', 'midpoint-survey')).toEqual({
      usefulness: 2,
      decision: 'rematch',
    });
    expect(readSurvey('No\n3\nfinish here, thanks\nI am too busy', 'midpoint-survey')).toEqual({
      usefulness: 3,
      decision: 'end',
      help: 'I am too busy',
    });
    expect(readSurvey('1. ja\n2. 5\n3. weitermachen', 'midpoint-survey').decision).toBe('continue');
  });

  it('reads the close-out survey’s NPS from 0 to 10, and nothing out of range', () => {
    expect(readSurvey('1. 5\n2. 9\n3. Confidence in interviews\n4. yes', 'closeout-survey')).toEqual({
      usefulness: 5,
      nps: 9,
    });
    expect(readSurvey('Overall: 4\nRecommend: 0', 'closeout-survey')).toEqual({ usefulness: 4, nps: 0 });
    expect(readSurvey('1. 7\n2. 11', 'closeout-survey')).toEqual({});
    expect(readSurvey('Thanks for everything!', 'closeout-survey')).toEqual({});
  });

  it('keeps earlier survey answers a later reply leaves out', () => {
    const reply = (survey: ReplyContent['survey']): ReplyContent => replyContent(survey ? { survey } : {});
    expect(mergeReply(reply({ usefulness: 4, nps: 6 }), reply({ nps: 9 })).survey).toEqual({
      usefulness: 4,
      nps: 9,
    });
    expect(mergeReply(reply({ usefulness: 4 }), reply(undefined)).survey).toEqual({ usefulness: 4 });
  });
});
