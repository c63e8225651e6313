import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

let j: TestJudge;
beforeAll(async () => {
  j = await startTestJudge('prob');
  await eventually(async () => ((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) >= 4, 60_000);
});
afterAll(async () => {
  await j?.stop();
});

const CREATE = `mutation ($input: CreateProblemInput!) { createProblem(input: $input) { id title version testCount limits { timeMs memoryKb } createdAt } }`;
const VIEW = `id status verdict score maxScore round version problem { id title } tests { index group verdict }`;
type View = {
  id: string;
  status: string;
  verdict: string | null;
  score: number | null;
  maxScore: number | null;
  round: number;
  version: number;
  problem: { id: string } | null;
  tests: Array<{ index: number; group: string | null; verdict: string }>;
};

async function createProblem(input: Record<string, unknown>): Promise<string> {
  const res = await j.gql<{ createProblem: { id: string } }>(CREATE, { input });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createProblem.id;
}

async function submitAndWait(problemId: string, language: string, source: string): Promise<View> {
  const res = await j.gql<{ submit: View }>(`mutation ($input: SubmitInput!) { submit(input: $input) { ${VIEW} } }`, {
    input: { problemId, language, source },
  });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.submit).toMatchObject({ status: 'QUEUED', problem: { id: problemId } });
  return waitJudged(res.body.data!.submit.id, 1);
}

async function waitJudged(id: string, round: number): Promise<View> {
  return eventually(async () => {
    const r = await j.gql<{ submission: View }>(`query ($id: ID!) { submission(id: $id) { ${VIEW} } }`, { id });
    const s = r.body.data?.submission;
    return s && s.round === round && (s.status === 'JUDGED' || s.status === 'FAILED') ? s : null;
  }, 60_000);
}

// Doubles its input; the "wrong" one fails on inputs above 100.
const doubler = 'n=int(input())\nprint(2*n)\n';
const wrongAbove100 = 'n=int(input())\nprint(2*n if n<=100 else 0)\n';

describe('problems with groups', () => {
  let problemId: string;
  beforeAll(async () => {
    problemId = await createProblem({
      title: 'Double it',
      limits: { timeMs: 1000 },
      groups: [
        { name: 'small', points: 30 },
        { name: 'large', points: 70, dependsOn: ['small'] },
      ],
      tests: [
        { input: '1', expectedOutput: '2', group: 'small' },
        { input: '1000', expectedOutput: '2000', group: 'large' },
        { input: '50', expectedOutput: '100', group: 'small' },
        { input: '500', expectedOutput: '1000', group: 'large' },
      ],
    });
  });

  it('is listed and readable with its limits and test count', async () => {
    const r = await j.gql<{ problem: { title: string; testCount: number; version: number; limits: { timeMs: number } } }>(
      'query ($id: ID!) { problem(id: $id) { title testCount version limits { timeMs } } }',
      { id: problemId },
    );
    expect(r.body.data!.problem).toEqual({ title: 'Double it', testCount: 4, version: 1, limits: { timeMs: 1000 } });
    // Lists come from the read model, which follows the log a moment later.
    await eventually(async () => {
      const list = await j.gql<{ problems: { edges: Array<{ node: { id: string } }> } }>('{ problems(first: 10) { edges { node { id } } } }');
      return list.body.data!.problems.edges.some((e) => e.node.id === problemId);
    });
  });

  it('gives every point to a correct program', async () => {
    const s = await submitAndWait(problemId, 'python', doubler);
    expect(s).toMatchObject({ verdict: 'ACCEPTED', score: 100, maxScore: 100 });
    expect(s.tests.map((t) => [t.index, t.group, t.verdict])).toEqual([
      [0, 'small', 'ACCEPTED'],
      [1, 'large', 'ACCEPTED'],
      [2, 'small', 'ACCEPTED'],
      [3, 'large', 'ACCEPTED'],
    ]);
  });

  it('earns only the groups fully accepted; the verdict is the first failing test in test order', async () => {
    const s = await submitAndWait(problemId, 'python', wrongAbove100);
    expect(s).toMatchObject({ verdict: 'WRONG_ANSWER', score: 30, maxScore: 100 });
    // "large" runs after "small"; its first test fails, so its second is skipped.
    expect(s.tests.map((t) => t.verdict)).toEqual(['ACCEPTED', 'WRONG_ANSWER', 'ACCEPTED', 'SKIPPED']);
  });

  it('skips a group whose dependency failed', async () => {
    const s = await submitAndWait(problemId, 'python', 'print(0)');
    expect(s).toMatchObject({ verdict: 'WRONG_ANSWER', score: 0 });
    expect(s.tests.map((t) => t.verdict)).toEqual(['WRONG_ANSWER', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
  });

  it('filters submissions by problem', async () => {
    const r = await j.gql<{ submissions: { edges: Array<{ node: { problem: { id: string } } }> } }>(
      'query ($p: ID!) { submissions(filter: { problemId: $p }, first: 50) { edges { node { problem { id } } } } }',
      { p: problemId },
    );
    expect(r.body.data!.submissions.edges).toHaveLength(3);
  });

  it('refuses stdin or limits with a problem, and an unknown problem', async () => {
    const bad = await j.gql(`mutation ($input: SubmitInput!) { submit(input: $input) { id } }`, {
      input: { problemId, language: 'python', source: 'print(1)', stdin: '5' },
    });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await j.gql(`mutation ($input: SubmitInput!) { submit(input: $input) { id } }`, {
      input: { problemId: '00000000-0000-4000-8000-000000000000', language: 'python', source: 'print(1)' },
    });
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('comparison modes end to end', () => {
  it('FLOAT accepts a close number, WHITESPACE does not', async () => {
    const floaty = await createProblem({
      title: 'Pi',
      checker: { comparison: 'FLOAT', floatAbsTolerance: 1e-3 },
      tests: [{ input: '', expectedOutput: '3.14159' }],
    });
    const exact = await createProblem({ title: 'Pi exact', tests: [{ input: '', expectedOutput: '3.14159' }] });
    expect(await submitAndWait(floaty, 'c', '#include <stdio.h>\nint main(){printf("%.4f\\n", 3.14160);}')).toMatchObject({ verdict: 'ACCEPTED', score: 100 });
    expect(await submitAndWait(exact, 'c', '#include <stdio.h>\nint main(){printf("%.4f\\n", 3.14160);}')).toMatchObject({ verdict: 'WRONG_ANSWER', score: 0 });
  });

  it('refuses an invalid problem with BAD_USER_INPUT, naming the problem', async () => {
    const res = await j.gql(CREATE, {
      input: { title: 'x', groups: [{ name: 'a', points: 1, dependsOn: ['a'] }], tests: [{ input: '', expectedOutput: '', group: 'a' }] },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/cycle/);
  });
});

describe('rejudge', () => {
  it('opens round 2: the read model shows it, the stream keeps both rounds, subscribers see it arrive', async () => {
    const problemId = await createProblem({ title: 'Echo', tests: [{ input: 'x', expectedOutput: 'x' }] });
    const first = await submitAndWait(problemId, 'python', 'print(input())');
    expect(first).toMatchObject({ verdict: 'ACCEPTED', round: 1 });

    const client = j.wsClient();
    const seen: View[] = [];
    const watching = (async () => {
      for await (const r of client.iterate<{ submissionUpdated: View }>({
        query: `subscription ($id: ID!) { submissionUpdated(id: $id) { ${VIEW} } }`,
        variables: { id: first.id },
      })) {
        seen.push(r.data!.submissionUpdated);
        const v = r.data!.submissionUpdated;
        if (v.round === 2 && v.status === 'JUDGED') break;
      }
    })();
    await eventually(() => seen.length > 0);

    const res = await j.gql<{ rejudge: View }>(`mutation ($id: ID!) { rejudge(id: $id) { ${VIEW} } }`, { id: first.id });
    expect(res.body.data!.rejudge).toMatchObject({ round: 2, status: 'QUEUED', verdict: null, tests: [] });
    const second = await waitJudged(first.id, 2);
    expect(second).toMatchObject({ round: 2, verdict: 'ACCEPTED', score: 100 });
    await watching;
    expect(seen.at(-1)).toMatchObject({ round: 2, status: 'JUDGED' });

    const events = await j.gql<{ submission: { events: Array<{ type: string; data: { round?: number } }> } }>(
      'query ($id: ID!) { submission(id: $id) { events { type data } } }',
      { id: first.id },
    );
    const types = events.body.data!.submission.events.map((e) => e.type);
    expect(types.filter((t) => t === 'SubmissionJudged')).toHaveLength(2);
    expect(types).toContain('RejudgeRequested');
  });

  it('streams final verdicts of a problem over verdicts(problemId)', async () => {
    const problemId = await createProblem({ title: 'Verdicts', tests: [{ input: '', expectedOutput: 'ok' }] });
    const other = await createProblem({ title: 'Other', tests: [{ input: '', expectedOutput: 'ok' }] });
    const client = j.wsClient();
    const got: View[] = [];
    const listening = (async () => {
      for await (const r of client.iterate<{ verdicts: View }>({ query: `subscription ($p: ID) { verdicts(problemId: $p) { ${VIEW} } }`, variables: { p: problemId } })) {
        got.push(r.data!.verdicts);
        if (got.length === 2) break;
      }
    })();
    await new Promise((r) => setTimeout(r, 300)); // let the subscription start
    await submitAndWait(other, 'python', 'print("ok")');
    await submitAndWait(problemId, 'python', 'print("ok")');
    await submitAndWait(problemId, 'python', 'print("no")');
    await listening;
    expect(got.map((v) => [v.problem?.id, v.verdict])).toEqual([
      [problemId, 'ACCEPTED'],
      [problemId, 'WRONG_ANSWER'],
    ]);
  });
});

describe('custom checkers (ICPC output validators, in the sandbox)', () => {
  // Accepts any number within 0.5 of the answer; says why in judgemessage.txt.
  const pythonChecker = [
    'import sys',
    'answer = float(open(sys.argv[2]).read())',
    'got = sys.stdin.read().strip()',
    'def say(m):',
    '    open(sys.argv[3] + "/judgemessage.txt", "w").write(m)',
    'try:',
    '    value = float(got)',
    'except ValueError:',
    '    say("not a number: " + got[:20]); sys.exit(43)',
    'if abs(value - answer) <= 0.5:',
    '    say("close enough"); sys.exit(42)',
    'say("off by %g" % abs(value - answer)); sys.exit(43)',
  ].join('\n');

  it('judges with a Python checker and reports its judgemessage', async () => {
    const problemId = await createProblem({
      title: 'Roughly',
      checker: { custom: { language: 'python', source: pythonChecker } },
      tests: [
        { input: '10', expectedOutput: '20' },
        { input: '3', expectedOutput: '6' },
      ],
    });
    const near = await submitAndWait(problemId, 'python', 'print(int(input()) * 2 + 0.25)');
    expect(near).toMatchObject({ verdict: 'ACCEPTED', score: 100 });
    const msgs = await j.gql<{ submission: { tests: Array<{ checkerMessage: string | null }> } }>('query ($id: ID!) { submission(id: $id) { tests { checkerMessage } } }', { id: near.id });
    expect(msgs.body.data!.submission.tests.map((t) => t.checkerMessage)).toEqual(['close enough', 'close enough']);
    const far = await submitAndWait(problemId, 'python', 'print(int(input()) * 3)');
    expect(far).toMatchObject({ verdict: 'WRONG_ANSWER', score: 0 });
    const farMsgs = await j.gql<{ submission: { tests: Array<{ checkerMessage: string | null; verdict: string }> } }>('query ($id: ID!) { submission(id: $id) { tests { verdict checkerMessage } } }', { id: far.id });
    expect(farMsgs.body.data!.submission.tests[0]).toEqual({ verdict: 'WRONG_ANSWER', checkerMessage: 'off by 10' });
  });

  it('judges with a C++ checker; a checker that fails otherwise gives INTERNAL_ERROR, never WRONG_ANSWER', async () => {
    const cppChecker = [
      '#include <fstream>',
      '#include <iostream>',
      'int main(int argc, char** argv) {',
      '  long expected; std::ifstream(argv[2]) >> expected;',
      '  long got; if (!(std::cin >> got)) return 43;',
      '  if (got < 0) return 7; // a checker bug on purpose',
      '  return got == expected ? 42 : 43;',
      '}',
    ].join('\n');
    const problemId = await createProblem({
      title: 'Exact via C++',
      checker: { custom: { language: 'cpp', source: cppChecker } },
      tests: [{ input: '', expectedOutput: '5' }],
    });
    expect(await submitAndWait(problemId, 'c', '#include <stdio.h>\nint main(){puts("5");}')).toMatchObject({ verdict: 'ACCEPTED' });
    expect(await submitAndWait(problemId, 'c', '#include <stdio.h>\nint main(){puts("6");}')).toMatchObject({ verdict: 'WRONG_ANSWER' });
    expect(await submitAndWait(problemId, 'c', '#include <stdio.h>\nint main(){puts("-1");}')).toMatchObject({ verdict: 'INTERNAL_ERROR' });
  });

  it('refuses a checker in a language checkers cannot use', async () => {
    const res = await j.gql(CREATE, { input: { title: 'x', checker: { custom: { language: 'javascript', source: 'x' } }, tests: [{ input: '', expectedOutput: '' }] } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
