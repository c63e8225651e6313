import type { Verdict } from './events.js';
import { groupOrder, type ProblemDefinition } from './problem.js';

// Grading a submission against a problem's groups: which test runs next, which are skipped, and
// the score. Pure: given the results so far, the same answer every time.

export interface GradedTest {
  index: number;
  verdict: Verdict;
}

const groupKey = (g: string | null): string => (g === null ? '\u0000default' : g);

/** The order tests run in: groups after their dependencies, tests in index order within a group. */
export function testOrder(problem: Pick<ProblemDefinition, 'groups' | 'tests'>): number[] {
  const order = [null as string | null, ...groupOrder(problem.groups)];
  const byGroup = new Map<string, number[]>();
  problem.tests.forEach((t, i) => {
    const key = groupKey(t.group);
    byGroup.set(key, [...(byGroup.get(key) ?? []), i]);
  });
  return order.flatMap((g) => byGroup.get(groupKey(g)) ?? []);
}

/**
 * Whether a test should be skipped given the results known so far: its own group already has
 * a test that is not accepted, or a group it depends on is not fully accepted.
 */
export function shouldSkip(problem: Pick<ProblemDefinition, 'groups' | 'tests'>, index: number, results: readonly GradedTest[]): boolean {
  const test = problem.tests[index];
  if (!test) return true;
  const failedIn = (group: string | null): boolean =>
    results.some((r) => r.verdict !== 'ACCEPTED' && problem.tests[r.index]?.group === group);
  const complete = (group: string | null): boolean =>
    problem.tests.every((t, i) => t.group !== group || results.some((r) => r.index === i && r.verdict === 'ACCEPTED'));
  if (failedIn(test.group)) return true;
  const deps = test.group === null ? [] : (problem.groups.find((g) => g.name === test.group)?.dependsOn ?? []);
  return deps.some((d) => !complete(d));
}

/** Points per group: the declared ones, or 100 for the default group when none is declared. */
export function groupPoints(problem: Pick<ProblemDefinition, 'groups'>): Array<{ group: string | null; points: number }> {
  if (problem.groups.length === 0) return [{ group: null, points: 100 }];
  return [{ group: null, points: 0 }, ...problem.groups.map((g) => ({ group: g.name, points: g.points }))];
}

export function maxScore(problem: Pick<ProblemDefinition, 'groups'>): number {
  return groupPoints(problem).reduce((sum, g) => sum + g.points, 0);
}

/** Earned points: a group counts only if it has tests and every one of them is accepted. */
export function score(problem: Pick<ProblemDefinition, 'groups' | 'tests'>, results: readonly GradedTest[]): number {
  let total = 0;
  for (const { group, points } of groupPoints(problem)) {
    const indexes = problem.tests.flatMap((t, i) => (t.group === group ? [i] : []));
    if (indexes.length === 0) continue;
    if (indexes.every((i) => results.some((r) => r.index === i && r.verdict === 'ACCEPTED'))) total += points;
  }
  return total;
}
