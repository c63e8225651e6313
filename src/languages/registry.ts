// The languages the judge knows. Each names the runtime image that holds its toolchain; the
// setup builds those images offline and labels them `judge.runtime=<runtime>`, and workers
// report which are present, so `languages` lists only what can really run.

export type LanguageId = 'c' | 'cpp' | 'python' | 'javascript';
export type RuntimeName = 'gcc' | 'python' | 'node';

export interface LanguageSpec {
  readonly id: LanguageId;
  readonly name: string;
  readonly runtime: RuntimeName;
  readonly sourceFileName: string;
  /** argv run in the working directory; absent for interpreted languages */
  readonly compile?: readonly string[];
  /** argv that runs the program (the built binary, or the interpreter on the source) */
  readonly run: readonly string[];
  /** image label that holds the toolchain version, written by the setup */
  readonly versionLabel: string;
}

export const LANGUAGES: readonly LanguageSpec[] = [
  {
    id: 'c',
    name: 'C (GCC)',
    runtime: 'gcc',
    sourceFileName: 'main.c',
    compile: ['gcc', '-O2', '-std=gnu17', '-o', 'main', 'main.c', '-lm'],
    run: ['./main'],
    versionLabel: 'judge.version.gcc',
  },
  {
    id: 'cpp',
    name: 'C++17 (G++)',
    runtime: 'gcc',
    sourceFileName: 'main.cpp',
    compile: ['g++', '-O2', '-std=c++17', '-o', 'main', 'main.cpp'],
    run: ['./main'],
    versionLabel: 'judge.version.gcc',
  },
  {
    id: 'python',
    name: 'Python 3',
    runtime: 'python',
    sourceFileName: 'main.py',
    run: ['python3', 'main.py'],
    versionLabel: 'judge.version.python',
  },
  {
    id: 'javascript',
    name: 'JavaScript (Node.js)',
    runtime: 'node',
    sourceFileName: 'main.js',
    run: ['node', 'main.js'],
    versionLabel: 'judge.version.node',
  },
];

export const RUNTIMES: readonly RuntimeName[] = ['gcc', 'python', 'node'];

export function findLanguage(id: string): LanguageSpec | undefined {
  return LANGUAGES.find((l) => l.id === id);
}

export function runtimeImage(runtime: RuntimeName): string {
  return `judge-runtime-${runtime}:latest`;
}
