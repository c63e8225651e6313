import { describe, expect, it } from 'vitest';
import {
  decide,
  decideCreateProblem,
  evolveProblem,
  fold,
  maxScore,
  resolveLimits,
  score,
  shouldSkip,
  testOrder,
  type GradedTest,
  type ProblemDefinition,
  type SubmissionEvent,
  type SubmissionReceived,
} from '../../src/domain/index.js';

const test = (group: string | null) => ({ input: 'in', answer: 'ans', group });
const definition = (over: Partial<ProblemDefinition> = {}): ProblemDefinition => ({
  title: 'Sum',
  limits: resolveLimits({}),
  checker: { comparison: 'WHITESPACE', custom: null },
  groups: [],
  tests: [test(null), test(null)],
  ...over,
});

describe('problems', () => {
  it('are created at dataset version 1', () => {
    const [event] = decideCreateProblem({ problemId: 'p1', definition: definition(), now: 't' }, null);
    expect(evolveProblem(null, event!)).toMatchObject({ id: 'p1', version: 1, title: 'Sum', createdAt: 't' });
  });

  it.each([
    ['an empty title', { title: ' ' }, /title/],
    ['no tests', { tests: [] }, /at least one test/],
    ['a test in an unknown group', { tests: [test('nope')] }, /unknown group "nope"/],
    ['a group declared twice', { groups: [{ name: 'a', points: 1, dependsOn: [] }, { name: 'a', points: 1, dependsOn: [] }], tests: [test('a')] }, /twice/],
    ['negative points', { groups: [{ name: 'a', points: -1, dependsOn: [] }], tests: [test('a')] }, /points/],
    ['an unknown dependency', { groups: [{ name: 'a', points: 1, dependsOn: ['b'] }], tests: [test('a')] }, /unknown group "b"/],
    [
      'a dependency cycle',
      { groups: [{ name: 'a', points: 1, dependsOn: ['b'] }, { name: 'b', points: 1, dependsOn: ['a'] }], tests: [test('a')] },
      /cycle/,
    ],
    ['a negative tolerance', { checker: { comparison: 'FLOAT' as const, floatAbsTolerance: -1, custom: null } }, /floatAbsTolerance/],
  ])('refuse %s', (_label, over, message) => {
    expect(() => decideCreateProblem({ problemId: 'p', definition: definition(over), now: 't' }, null)).toThrow(message);
  });
});

describe('grading with groups', () => {
  const grouped = definition({
    groups: [
      { name: 'hard', points: 60, dependsOn: ['easy'] },
      { name: 'easy', points: 40, dependsOn: [] },
    ],
    tests: [test('hard'), test('easy'), test(null), test('easy'), test('hard')],
  });
  const r = (index: number, verdict: GradedTest['verdict']): GradedTest => ({ index, verdict });

  it('runs the default group first, then groups after their dependencies, tests in order within each', () => {
    expect(testOrder(grouped)).toEqual([2, 1, 3, 0, 4]);
  });

  it('is worth 100 without groups, the sum of the groups with them', () => {
    expect(maxScore(definition())).toBe(100);
    expect(maxScore(grouped)).toBe(100);
  });

  it('scores a group only when all its tests are accepted', () => {
    expect(score(grouped, [r(0, 'ACCEPTED'), r(1, 'ACCEPTED'), r(2, 'ACCEPTED'), r(3, 'ACCEPTED'), r(4, 'ACCEPTED')])).toBe(100);
    expect(score(grouped, [r(0, 'ACCEPTED'), r(1, 'ACCEPTED'), r(2, 'WRONG_ANSWER'), r(3, 'ACCEPTED'), r(4, 'WRONG_ANSWER')])).toBe(40);
    expect(score(definition(), [r(0, 'ACCEPTED'), r(1, 'TIME_LIMIT_EXCEEDED')])).toBe(0);
  });

  it('skips the rest of a failed group and every group depending on it', () => {
    const results = [r(2, 'ACCEPTED'), r(1, 'WRONG_ANSWER')];
    expect(shouldSkip(grouped, 3, results)).toBe(true); // same group failed
    expect(shouldSkip(grouped, 0, results)).toBe(true); // depends on "easy"
    expect(shouldSkip(grouped, 3, [r(2, 'ACCEPTED'), r(1, 'ACCEPTED')])).toBe(false);
    expect(shouldSkip(grouped, 0, [r(1, 'ACCEPTED'), r(3, 'ACCEPTED')])).toBe(false);
  });
});

describe('rejudge', () => {
  const received: SubmissionReceived = {
    type: 'SubmissionReceived',
    data: {
      submissionId: 's',
      tenant: 't',
      language: 'c',
      source: 'x',
      stdin: '',
      expectedOutput: null,
      limits: resolveLimits({}),
      idempotencyKey: null,
      receivedAt: 't',
      problemId: 'p',
      problemVersion: 1,
      maxScore: 100,
    },
  };

  it('opens round n+1 with a fresh view, ignoring the old round’s late events', () => {
    const events: SubmissionEvent[] = [received];
    const step = (c: Parameters<typeof decide>[0]) => events.push(...decide(c, fold(events)));
    step({ type: 'RecordRun', data: { round: 1, index: 0, verdict: 'WRONG_ANSWER', timeMs: 1, wallTimeMs: 1, memoryKb: 1, exitCode: 0, signal: null, stdout: null, stderr: null } });
    step({ type: 'FinishJudging', data: { round: 1, now: 't', score: 0 } });
    expect(fold(events)).toMatchObject({ status: 'JUDGED', verdict: 'WRONG_ANSWER', score: 0, maxScore: 100, round: 1 });
    step({ type: 'RequestRejudge', data: { reason: null, now: 't2' } });
    expect(fold(events)).toMatchObject({ status: 'QUEUED', verdict: null, score: null, maxScore: 100, round: 2, tests: [] });
    // A worker still finishing round 1 records nothing into round 2.
    expect(decide({ type: 'FinishJudging', data: { round: 1, now: 't', score: 0 } }, fold(events))).toEqual([]);
    step({ type: 'RecordRun', data: { round: 2, index: 0, verdict: 'ACCEPTED', timeMs: 1, wallTimeMs: 1, memoryKb: 1, exitCode: 0, signal: null, stdout: null, stderr: null } });
    step({ type: 'FinishJudging', data: { round: 2, now: 't3', score: 100 } });
    expect(fold(events)).toMatchObject({ status: 'JUDGED', verdict: 'ACCEPTED', score: 100, round: 2, version: 6 });
  });

  it('gives a compilation error no points for a problem', () => {
    const events = [received, ...decide({ type: 'RecordCompile', data: { round: 1, success: false, output: 'e', timeMs: 1, now: 't' } }, fold([received]))];
    expect(fold(events)).toMatchObject({ verdict: 'COMPILATION_ERROR', score: 0 });
  });
});
