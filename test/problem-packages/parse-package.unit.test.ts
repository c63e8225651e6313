import { describe, expect, it } from 'vitest';
import { PackageError, parsePackage, type PackageFiles } from '../../src/problem-packages/index.js';

const pkg = (files: Record<string, string>): PackageFiles => new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
const minimal = { 'data/secret/1.in': '1', 'data/secret/1.ans': '1' };

describe('ICPC problem packages', () => {
  it('maps samples, secret groups, points, limits and submissions', () => {
    const parsed = parsePackage(
      pkg({
        'problem.yaml': 'name: Sum\nlimits:\n  memory: 64\n',
        'data/sample/1.in': '1 1',
        'data/sample/1.ans': '2',
        'data/secret/a/10.in': 'x10',
        'data/secret/a/10.ans': 'y10',
        'data/secret/a/2.in': 'x2',
        'data/secret/a/2.ans': 'y2',
        'data/secret/a/testdata.yaml': 'points: 30',
        'data/secret/b/1.in': 'x',
        'data/secret/b/1.ans': 'y',
        'data/secret/b/testdata.yaml': 'accept_score: 35',
        'submissions/accepted/ok.cpp': 'int main(){}',
        'submissions/wrong_answer/bad.py': 'print(0)',
        'submissions/accepted/notes.txt': 'ignored',
      }),
      { timeLimitSeconds: 1.5 },
    );
    expect(parsed.problem.title).toBe('Sum');
    expect(parsed.problem.limits).toEqual({ timeMs: 1500, memoryKb: 65536 });
    expect(parsed.problem.groups).toEqual([
      { name: 'sample', points: 0 },
      { name: 'a', points: 30 },
      { name: 'b', points: 35 },
    ]);
    // Natural order inside a group: 2 before 10.
    expect(parsed.problem.tests.map((t) => [t.group, t.input])).toEqual([
      ['sample', '1 1'],
      ['a', 'x2'],
      ['a', 'x10'],
      ['b', 'x'],
    ]);
    expect(parsed.submissions.map((s) => [s.path, s.language, s.expected])).toEqual([
      ['submissions/accepted/ok.cpp', 'cpp', 'ACCEPTED'],
      ['submissions/wrong_answer/bad.py', 'python', 'WRONG_ANSWER'],
    ]);
    expect(parsed.notes).toContain('skipping submissions/accepted/notes.txt: no supported language for its extension');
  });

  it('shares 100 points equally among groups without points, and reads a time limit from problem.yaml', () => {
    const parsed = parsePackage(pkg({ 'problem.yaml': 'name: X\nlimits:\n  time_limit: 2\n', ...minimal }));
    expect(parsed.problem.groups).toEqual([{ name: 'secret', points: 100 }]);
    expect(parsed.problem.limits).toEqual({ timeMs: 2000 });
  });

  it.each([
    ['', { comparison: 'CASE_INSENSITIVE' }],
    ['case_sensitive', { comparison: 'WHITESPACE' }],
    ['case_sensitive space_change_sensitive', { comparison: 'EXACT' }],
    ['float_tolerance 1e-4', { comparison: 'FLOAT', floatAbsTolerance: 1e-4, floatRelTolerance: 1e-4 }],
    ['float_absolute_tolerance 0.5', { comparison: 'FLOAT', floatAbsTolerance: 0.5, floatRelTolerance: 0 }],
  ])('maps validator_flags "%s" to a comparison', (flags, checker) => {
    const parsed = parsePackage(pkg({ 'problem.yaml': `name: X\nvalidator_flags: "${flags}"\n`, ...minimal }));
    expect(parsed.problem.checker).toEqual(checker);
  });

  it('takes an output validator: the compiled file or the Python entry point, and the files beside it', () => {
    const cpp = parsePackage(pkg({ 'problem.yaml': 'validation: custom', ...minimal, 'output_validators/v/validate.h': '// helpers', 'output_validators/v/check.cpp': 'int main(){}' }));
    expect(cpp.problem.checker).toEqual({ custom: { language: 'cpp', source: 'int main(){}', files: [{ name: 'validate.h', content: '// helpers' }] } });
    const py = parsePackage(
      pkg({ 'problem.yaml': 'validation: custom', ...minimal, 'output_validators/v/util.py': 'X = 1', 'output_validators/v/run.py': 'import util\nif __name__ == "__main__": pass' }),
    );
    expect(py.problem.checker?.custom).toMatchObject({ language: 'python', source: expect.stringContaining('__main__'), files: [{ name: 'util.py', content: 'X = 1' }] });
    const single = parsePackage(pkg({ 'problem.yaml': 'validation: custom', ...minimal, 'output_validators/only.c': 'int main(){return 42;}' }));
    expect(single.problem.checker).toEqual({ custom: { language: 'c', source: 'int main(){return 42;}' } });
  });

  it.each([
    ['no problem.yaml', { ...minimal }, /problem.yaml is missing/],
    ['an interactive problem', { 'problem.yaml': 'validation: custom interactive', ...minimal }, /interactive problems are not supported/],
    ['an input without its answer', { 'problem.yaml': 'name: X', 'data/secret/1.in': '1' }, /has no data\/secret\/1.ans/],
    ['no secret tests', { 'problem.yaml': 'name: X' }, /no test cases/],
    ['custom validation without a validator', { 'problem.yaml': 'validation: custom', ...minimal }, /output_validators\/ is empty/],
    ['a validator with two C++ sources', { 'problem.yaml': 'validation: custom', ...minimal, 'output_validators/v/a.cpp': '', 'output_validators/v/b.cpp': '' }, /more than one C\/C\+\+ source/],
    ['two validators', { 'problem.yaml': 'validation: custom', ...minimal, 'output_validators/a/a.py': '', 'output_validators/b/b.py': '' }, /one folder/],
  ])('refuses %s with a clear message', (_label, files, message) => {
    expect(() => parsePackage(pkg(files as Record<string, string>))).toThrow(PackageError);
    expect(() => parsePackage(pkg(files as Record<string, string>))).toThrow(message);
  });
});
