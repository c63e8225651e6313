import type { ComparisonRule } from './compare.js';
import type { Limits } from './events.js';

// A problem: its tests (by content hash: the data lives in the blob store), groups with points
// and dependencies, limits and checker. Pure, like the submission.

export interface TestGroup {
  name: string;
  points: number;
  dependsOn: string[];
}

export interface ProblemTest {
  /** sha256 of the input and of the expected output, in the blob store */
  input: string;
  answer: string;
  /** null: the default group */
  group: string | null;
}

export interface CustomChecker {
  language: string;
  /** sha256 of the checker's source, in the blob store */
  source: string;
  /** more files beside the source (headers, modules), by name and sha256 */
  files?: Array<{ name: string; content: string }>;
}

export interface Checker extends ComparisonRule {
  custom: CustomChecker | null;
}

export interface ProblemDefinition {
  title: string;
  limits: Limits;
  checker: Checker;
  groups: TestGroup[];
  tests: ProblemTest[];
}

export interface ProblemCreated {
  type: 'ProblemCreated';
  data: ProblemDefinition & { problemId: string; createdAt: string };
}

export interface ProblemRevised {
  type: 'ProblemRevised';
  data: ProblemDefinition & { revisedAt: string };
}

export type ProblemEvent = ProblemCreated | ProblemRevised;

export interface ProblemState extends ProblemDefinition {
  id: string;
  /** dataset version: 1, and one more for each revision */
  version: number;
  createdAt: string;
}

export const problemStreamId = (problemId: string): string => `problem-${problemId}`;

/** The name the default group (tests without one) goes by in results. */
export const DEFAULT_GROUP = null;

export function evolveProblem(state: ProblemState | null, event: ProblemEvent): ProblemState | null {
  switch (event.type) {
    case 'ProblemCreated': {
      const { problemId, createdAt, ...definition } = event.data;
      return { id: problemId, version: 1, createdAt, ...definition };
    }
    case 'ProblemRevised': {
      if (!state) return null;
      const { revisedAt: _r, ...definition } = event.data;
      return { ...state, ...definition, version: state.version + 1 };
    }
  }
}

export class ProblemRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProblemRuleError';
  }
}

/**
 * Checks a definition: named groups are unique with non-negative points, every test names a
 * declared group (or none), dependencies exist and have no cycle. With no groups declared, the
 * whole problem (its default group) is worth 100 points.
 */
export function validateProblem(definition: ProblemDefinition): ProblemDefinition {
  if (definition.title.trim() === '') throw new ProblemRuleError('title', 'title is empty');
  if (definition.tests.length === 0) throw new ProblemRuleError('tests', 'a problem needs at least one test');
  const names = new Set<string>();
  for (const g of definition.groups) {
    if (g.name.trim() === '') throw new ProblemRuleError('groups', 'a group name is empty');
    if (names.has(g.name)) throw new ProblemRuleError('groups', `group "${g.name}" is declared twice`);
    if (!Number.isFinite(g.points) || g.points < 0) throw new ProblemRuleError('groups', `group "${g.name}" has invalid points`);
    names.add(g.name);
  }
  for (const g of definition.groups) {
    for (const d of g.dependsOn) {
      if (!names.has(d)) throw new ProblemRuleError('groups', `group "${g.name}" depends on unknown group "${d}"`);
    }
  }
  definition.tests.forEach((t, i) => {
    if (t.group !== null && !names.has(t.group)) throw new ProblemRuleError('tests', `test ${i} names unknown group "${t.group}"`);
  });
  groupOrder(definition.groups); // throws on a cycle
  const { checker } = definition;
  for (const [field, value] of [
    ['floatAbsTolerance', checker.floatAbsTolerance],
    ['floatRelTolerance', checker.floatRelTolerance],
  ] as const) {
    if (value !== null && value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new ProblemRuleError(`checker.${field}`, `${field} must be a non-negative number`);
    }
  }
  return definition;
}

/** Groups in an order where every group comes after the groups it depends on (stable). */
export function groupOrder(groups: readonly TestGroup[]): string[] {
  const byName = new Map(groups.map((g) => [g.name, g]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new ProblemRuleError('groups', `groups depend on each other in a cycle through "${name}"`);
    visiting.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d);
    visiting.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const g of groups) visit(g.name);
  return order;
}

export function decideCreateProblem(
  command: { problemId: string; definition: ProblemDefinition; now: string },
  state: ProblemState | null,
): ProblemEvent[] {
  if (state !== null) throw new ProblemRuleError('id', `problem ${state.id} already exists`);
  return [{ type: 'ProblemCreated', data: { problemId: command.problemId, createdAt: command.now, ...validateProblem(command.definition) } }];
}
