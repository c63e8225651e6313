import { evolveProblem, problemStreamId, type ProblemEvent, type ProblemState } from '../src/domain/index.js';
import { getBlobs, readStream, type Db } from '../src/eventstore/index.js';

export interface ProblemData {
  problem: ProblemState;
  inputs: string[];
  answers: string[];
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
  const blobs = await getBlobs(db, problem.tests.flatMap((t) => [t.input, t.answer]));
  const text = (hash: string): string => blobs.get(hash)!.toString('utf8');
  return { problem, inputs: problem.tests.map((t) => text(t.input)), answers: problem.tests.map((t) => text(t.answer)) };
}
