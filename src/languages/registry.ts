// The languages the judge knows. Each names the runtime image that holds its toolchain; the
// setup builds those images offline and labels them `judge.runtime=<runtime>`, and workers
// report which are present, so `languages` lists only what can really run. gcc, python and node
// are built by `npm run setup`; java, go and rust on request (`npm run setup -- --all-runtimes`).

export type LanguageId = 'c' | 'cpp' | 'python' | 'javascript' | 'java' | 'go' | 'rust';
export type RuntimeName = 'gcc' | 'python' | 'node' | 'java' | 'go' | 'rust';

export interface LanguageSpec {
  readonly id: LanguageId;
  readonly name: string;
  readonly runtime: RuntimeName;
  readonly sourceFileName: string;
  /** argv run in the working directory; absent for interpreted languages */
  readonly compile?: readonly string[];
  /**
   * argv that runs the program (the built binary, or the interpreter on the source); may name
   * the run's limits as {memoryKb} and {stackKb}
   */
  readonly run: readonly string[];
  /** image label that holds the toolchain version, written by the setup */
  readonly versionLabel: string;
  /** environment of the compiler and the program, on top of the sandbox's fixed minimum */
  readonly env?: Readonly<Record<string, string>>;
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
    // No __pycache__ writes into the build: every run starts from the same files anyway.
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  },
  {
    id: 'javascript',
    name: 'JavaScript (Node.js)',
    runtime: 'node',
    sourceFileName: 'main.js',
    run: ['node', 'main.js'],
    versionLabel: 'judge.version.node',
  },
  {
    id: 'java',
    name: 'Java (OpenJDK)',
    runtime: 'java',
    sourceFileName: 'Main.java',
    compile: ['javac', '-J-XX:-UsePerfData', '-J-XX:+UseSerialGC', '-encoding', 'UTF-8', '-d', '.', 'Main.java'],
    // The heap may use the whole memory limit; the JVM's own overhead counts against it too.
    run: ['java', '-XX:-UsePerfData', '-XX:+UseSerialGC', '-Xmx{memoryKb}k', '-Xss64m', '-cp', '.', 'Main'],
    versionLabel: 'judge.version.java',
  },
  {
    id: 'go',
    name: 'Go',
    runtime: 'go',
    sourceFileName: 'main.go',
    compile: ['go', 'build', '-o', 'main', 'main.go'],
    run: ['./main'],
    versionLabel: 'judge.version.go',
    // The build cache goes to /tmp (wiped before every run), not into the saved build.
    env: { GOCACHE: '/tmp/go-cache', GOPATH: '/tmp/go', GO111MODULE: 'off', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
  },
  {
    id: 'rust',
    name: 'Rust',
    runtime: 'rust',
    sourceFileName: 'main.rs',
    compile: ['rustc', '-O', '--edition', '2021', '-o', 'main', 'main.rs'],
    run: ['./main'],
    versionLabel: 'judge.version.rust',
  },
];

export const RUNTIMES: readonly RuntimeName[] = ['gcc', 'python', 'node', 'java', 'go', 'rust'];
/** Runtimes whose images `npm run setup` builds without being asked. */
export const DEFAULT_RUNTIMES: readonly RuntimeName[] = ['gcc', 'python', 'node'];

export function findLanguage(id: string): LanguageSpec | undefined {
  return LANGUAGES.find((l) => l.id === id);
}

export function runtimeImage(runtime: RuntimeName): string {
  return `judge-runtime-${runtime}:latest`;
}
