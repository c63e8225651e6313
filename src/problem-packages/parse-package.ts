import { parse as parseYaml } from 'yaml';
import type { PackageFiles } from './read-files.js';

// The ICPC problem package format (problemtools / Kattis): problem.yaml, data/sample and
// data/secret with .in/.ans pairs (sub-folders of secret are groups), output_validators/, and
// submissions/<expected verdict>/ for verification.

/** The contract's CreateProblemInput, which the import sends to the judge. */
export interface CreateProblemArgs {
  title: string;
  limits?: { timeMs?: number; memoryKb?: number };
  checker?: {
    comparison?: 'EXACT' | 'WHITESPACE' | 'CASE_INSENSITIVE' | 'FLOAT';
    floatAbsTolerance?: number;
    floatRelTolerance?: number;
    custom?: { language: string; source: string; files?: Array<{ name: string; content: string }> };
  };
  groups?: Array<{ name: string; points: number; dependsOn?: string[] }>;
  tests: Array<{ input: string; expectedOutput: string; group?: string }>;
}

export class PackageError extends Error {
  override name = 'PackageError';
}

export interface PackageSubmission {
  path: string;
  language: string;
  source: string;
  /** the verdict its folder names */
  expected: 'ACCEPTED' | 'WRONG_ANSWER' | 'TIME_LIMIT_EXCEEDED' | 'RUNTIME_ERROR';
}

export interface ParsedPackage {
  problem: CreateProblemArgs;
  submissions: PackageSubmission[];
  /** where the format asked for something we map only approximately */
  notes: string[];
}

const EXPECTED: Record<string, PackageSubmission['expected']> = {
  accepted: 'ACCEPTED',
  wrong_answer: 'WRONG_ANSWER',
  time_limit_exceeded: 'TIME_LIMIT_EXCEEDED',
  run_time_error: 'RUNTIME_ERROR',
};

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  c: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  py: 'python',
  py3: 'python',
  js: 'javascript',
};

const text = (b: Buffer | undefined): string => (b ? b.toString('utf8') : '');

function languageOf(path: string): string | null {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return LANGUAGE_BY_EXTENSION[ext] ?? null;
}

/** Test cases of one folder, in name order (natural: 2 before 10). */
function casesIn(files: PackageFiles, folder: string): Array<{ input: string; expectedOutput: string; name: string }> {
  const inputs = [...files.keys()]
    .filter((p) => p.startsWith(`${folder}/`) && p.endsWith('.in') && !p.slice(folder.length + 1).includes('/'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return inputs.map((p) => {
    const ans = `${p.slice(0, -3)}.ans`;
    if (!files.has(ans)) throw new PackageError(`${p} has no ${ans}`);
    return { name: p, input: text(files.get(p)), expectedOutput: text(files.get(ans)) };
  });
}

function subfolders(files: PackageFiles, folder: string): string[] {
  const names = new Set<string>();
  for (const p of files.keys()) {
    if (!p.startsWith(`${folder}/`)) continue;
    const rest = p.slice(folder.length + 1);
    if (rest.includes('/')) names.add(rest.split('/')[0]!);
  }
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function checkerFromFlags(flags: string, notes: string[]): NonNullable<CreateProblemArgs['checker']> {
  const words = flags.split(/\s+/).filter(Boolean);
  const value = (name: string): number | null => {
    const i = words.indexOf(name);
    if (i < 0) return null;
    const n = Number(words[i + 1]);
    if (!Number.isFinite(n)) throw new PackageError(`validator_flags: ${name} needs a number`);
    return n;
  };
  const both = value('float_tolerance');
  const abs = value('float_absolute_tolerance') ?? both;
  const rel = value('float_relative_tolerance') ?? both;
  const caseSensitive = words.includes('case_sensitive');
  const spaceSensitive = words.includes('space_change_sensitive');
  if (abs !== null || rel !== null) {
    if (!caseSensitive) notes.push('float tolerance: words are compared case-sensitively (the default validator ignores case)');
    return { comparison: 'FLOAT', floatAbsTolerance: abs ?? 0, floatRelTolerance: rel ?? 0 };
  }
  if (spaceSensitive) {
    if (!caseSensitive) notes.push('space_change_sensitive without case_sensitive is judged EXACT (case-sensitive too)');
    return { comparison: 'EXACT' };
  }
  // The default validator ignores case unless told otherwise.
  return { comparison: caseSensitive ? 'WHITESPACE' : 'CASE_INSENSITIVE' };
}

const COMPILED_UNIT = /\.(c|cc|cpp|cxx|c\+\+)$/i;

/**
 * The output validator: one source file (the one compiled, or the Python entry point) plus the
 * files beside it (headers such as validate.h, Python modules), all by their plain names.
 */
function validatorOf(files: PackageFiles): NonNullable<NonNullable<CreateProblemArgs['checker']>['custom']> {
  const paths = [...files.keys()].filter((p) => /^output_validators?\//.test(p)).sort();
  if (paths.length === 0) throw new PackageError('validation: custom, but output_validators/ is empty');
  const folders = new Set(paths.map((p) => p.split('/').slice(1, -1).join('/')));
  if (folders.size > 1) throw new PackageError('output validator: expected one validator (one folder under output_validators/)');
  const named = paths.map((p) => ({ name: p.split('/').pop()!, text: text(files.get(p)) }));
  const units = named.filter((f) => COMPILED_UNIT.test(f.name));
  const python = named.filter((f) => f.name.endsWith('.py'));
  let main: { name: string; text: string };
  let language: string;
  if (units.length > 0) {
    if (units.length > 1) throw new PackageError('output validator: more than one C/C++ source to compile; only header-only helpers are supported');
    main = units[0]!;
    language = languageOf(main.name)!;
  } else if (python.length > 0) {
    const entry = python.length === 1 ? python[0] : python.find((f) => /__name__\s*==\s*['"]__main__['"]/.test(f.text));
    if (!entry) throw new PackageError('output validator: several Python files and none is the entry point (if __name__ == "__main__")');
    main = entry;
    language = 'python';
  } else {
    throw new PackageError('output validator: expected C, C++ or Python sources');
  }
  const rest = named.filter((f) => f !== main);
  return { language, source: main.text, ...(rest.length > 0 ? { files: rest.map((f) => ({ name: f.name, content: f.text })) } : {}) };
}

function groupPoints(files: PackageFiles, folder: string, tests: number): number | null {
  const raw = files.get(`${folder}/testdata.yaml`);
  if (!raw) return null;
  const doc = (parseYaml(text(raw)) ?? {}) as Record<string, unknown>;
  if (typeof doc.points === 'number') return doc.points;
  if (typeof doc.score === 'number') return doc.score;
  if (typeof doc.accept_score === 'number') return doc.accept_score * tests;
  return null;
}

/**
 * Turns a package into a createProblem input: samples form a group "sample" worth 0 points;
 * secret tests form "secret", or one group per sub-folder of data/secret (points from its
 * testdata.yaml, else an equal share of 100).
 */
export function parsePackage(files: PackageFiles, options: { timeLimitSeconds?: number } = {}): ParsedPackage {
  const yamlFile = files.get('problem.yaml');
  if (!yamlFile) throw new PackageError('problem.yaml is missing: not an ICPC problem package');
  const meta = (parseYaml(text(yamlFile)) ?? {}) as Record<string, unknown>;
  const notes: string[] = [];

  const validation = String(meta.validation ?? 'default');
  if (/interactive/.test(validation) || meta.type === 'interactive') throw new PackageError('interactive problems are not supported yet');
  if (validation.includes('score')) throw new PackageError('validators that score (custom score) are not supported yet');

  const rawName = meta.name;
  const name = typeof rawName === 'string' ? rawName : rawName && typeof rawName === 'object' ? String(Object.values(rawName)[0] ?? '') : '';
  const title = name.trim() || 'Untitled problem';

  const limits = (meta.limits ?? {}) as Record<string, unknown>;
  const timeSeconds = options.timeLimitSeconds ?? (typeof limits.time_limit === 'number' ? limits.time_limit : undefined);
  if (timeSeconds === undefined) notes.push('no time limit in problem.yaml and no --time-limit: using the judge default (2 s)');
  const memoryMiB = typeof limits.memory === 'number' ? limits.memory : undefined;

  let checker: NonNullable<CreateProblemArgs['checker']>;
  if (validation.startsWith('custom')) {
    checker = { custom: validatorOf(files) };
  } else {
    checker = checkerFromFlags(String(meta.validator_flags ?? ''), notes);
  }

  const samples = casesIn(files, 'data/sample');
  const secretGroups = subfolders(files, 'data/secret');
  const looseSecret = casesIn(files, 'data/secret');
  const groups: NonNullable<CreateProblemArgs['groups']> = [];
  const tests: CreateProblemArgs['tests'] = [];
  if (samples.length > 0) {
    groups.push({ name: 'sample', points: 0 });
    tests.push(...samples.map((t) => ({ input: t.input, expectedOutput: t.expectedOutput, group: 'sample' })));
  }
  const secretFolders = [...(looseSecret.length > 0 ? [{ name: 'secret', folder: 'data/secret', cases: looseSecret }] : [])];
  for (const sub of secretGroups) {
    const cases = casesIn(files, `data/secret/${sub}`);
    if (cases.length > 0) secretFolders.push({ name: sub, folder: `data/secret/${sub}`, cases });
  }
  if (secretFolders.length === 0) throw new PackageError('data/secret has no test cases');
  const declared = secretFolders.map((g) => groupPoints(files, g.folder, g.cases.length));
  const share = 100 / secretFolders.length;
  secretFolders.forEach((g, i) => {
    groups.push({ name: g.name, points: declared[i] ?? share });
    tests.push(...g.cases.map((t) => ({ input: t.input, expectedOutput: t.expectedOutput, group: g.name })));
  });

  const submissions: PackageSubmission[] = [];
  for (const path of [...files.keys()].filter((p) => p.startsWith('submissions/')).sort()) {
    const [, folder] = path.split('/');
    const expected = EXPECTED[folder ?? ''];
    const language = languageOf(path);
    if (!expected) continue;
    if (!language) {
      notes.push(`skipping ${path}: no supported language for its extension`);
      continue;
    }
    submissions.push({ path, language, source: text(files.get(path)), expected });
  }

  return {
    problem: {
      title,
      limits: {
        ...(timeSeconds !== undefined ? { timeMs: Math.round(timeSeconds * 1000) } : {}),
        ...(memoryMiB !== undefined ? { memoryKb: Math.round(memoryMiB * 1024) } : {}),
      },
      checker,
      groups,
      tests,
    },
    submissions,
    notes,
  };
}
