import { evolveProblem, problemStreamId, type ProblemEvent, type ProblemState } from '../src/domain/index.js';
import { getBlobs, readStream, type Db } from '../src/eventstore/index.js';

export interface ProblemData {
  problem: ProblemState;
  inputs: string[];
  answers: string[];
  /** the custom checker's source and other files, when the problem has one */
  checkerSource: string | null;
  checkerFiles: Array<{ name: string; content: string }>;
}

/** The problem as it stood at a dataset version, with its test data from the blob store. */
export async function loadProblemData(db: Db, problemId: string, version: number): Promise<ProblemData> {
  let problem: ProblemState | null = null;
  for (const event of await readStream(db, problemStreamId(problemId))) {
    const next = evolveProblem(problem, { type: event.type, data: event.data } as ProblemEvent);
    if (next && next.version > version) break;
    problem = next;
  }
  if (!problem || problem.version !== version) throw new Error(`problem ${problemId} has no dataset version ${version}`);
  const custom = problem.checker.custom;
  const checkerFiles = custom?.files ?? [];
  const blobs = await getBlobs(db, [...problem.tests.flatMap((t) => [t.input, t.answer]), ...(custom ? [custom.source] : []), ...checkerFiles.map((f) => f.content)]);
  const text = (hash: string): string => blobs.get(hash)!.toString('utf8');
  return {
    problem,
    inputs: problem.tests.map((t) => text(t.input)),
    answers: problem.tests.map((t) => text(t.answer)),
    checkerSource: custom ? text(custom.source) : null,
    checkerFiles: checkerFiles.map((f) => ({ name: f.name, content: text(f.content) })),
  };
}

/**
 * A problem version never changes, so a worker loads its tests once and keeps the most recently
 * used versions (a contest judges many submissions of a few problems).
 */
export class ProblemDataCache {
  private readonly entries = new Map<string, Promise<ProblemData>>();

  constructor(private readonly capacity = 16) {}

  get(db: Db, problemId: string, version: number): Promise<ProblemData> {
    const key = `${problemId}:${version}`;
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key); // re-inserted below: most recent last
    else {
      entry = loadProblemData(db, problemId, version);
      entry.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
