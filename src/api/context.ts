import type { NatsConnection } from '@nats-io/transport-node';
import type { BusNames } from '../bus/index.js';
import type { Db } from '../eventstore/index.js';
import type { Logger } from '../log/index.js';
import DataLoader from 'dataloader';
import type { AbuseLimitsConfig } from '../config/index.js';
import type { Ops } from '../ops/index.js';
import { evolveProblem, problemStreamId, type ProblemEvent, type ProblemState } from '../domain/index.js';
import { readStreams, type RecordedEvent } from '../eventstore/index.js';
import { findProblems, isUuid } from '../projections/index.js';
import type { AbuseLimits } from './abuse-limits.js';
import type { Principal } from './auth.js';
import type { ViewHub } from './view-hub.js';

export interface ApiDeps {
  db: Db;
  databaseUrl: string;
  abuseLimits: AbuseLimitsConfig;
  nc: NatsConnection;
  names: BusNames;
  adminToken: string;
  log: Logger;
  /** health, readiness and metrics of this process */
  ops: Ops;
}

export interface LanguageView {
  id: string;
  name: string;
  version: string;
  compiled: boolean;
  sourceFileName: string;
}

export interface ApiContext {
  deps: ApiDeps;
  hub: ViewHub;
  limits: AbuseLimits;
  principal: Principal;
  /** languages some worker can run, loaded once per request */
  languages(): Promise<Map<string, LanguageView>>;
  /** per-request batching: a page of submissions costs one query per kind, not one per row */
  problems: DataLoader<string, ProblemState | null>;
  streams: DataLoader<string, RecordedEvent[]>;
}

export function createContext(deps: ApiDeps, hub: ViewHub, limits: AbuseLimits, principal: Principal): ApiContext {
  let languages: Promise<Map<string, LanguageView>> | null = null;
  const streams = new DataLoader<string, RecordedEvent[]>(async (ids) => {
    const found = await readStreams(deps.db, ids);
    return ids.map((id) => found.get(id) ?? []);
  });
  const problems = new DataLoader<string, ProblemState | null>(async (ids) => {
    const found = await findProblems(deps.db, ids);
    // A problem just created may not be projected yet: fold its stream.
    const missing = ids.filter((id) => !found.has(id) && isUuid(id)).map(problemStreamId);
    const folded = await readStreams(deps.db, missing);
    return ids.map((id) => found.get(id) ?? foldProblem(folded.get(problemStreamId(id)) ?? []));
  });
  return {
    deps,
    hub,
    limits,
    principal,
    problems,
    streams,
    languages: () =>
      (languages ??= deps.db
        .selectFrom('languages')
        .selectAll()
        .orderBy('id')
        .execute()
        .then(
          (rows) =>
            new Map(
              rows.map((r) => [
                r.id,
                { id: r.id, name: r.name, version: r.version, compiled: r.compiled, sourceFileName: r.source_file_name },
              ]),
            ),
        )),
  };
}

export const foldProblem = (events: ReadonlyArray<{ type: string; data: unknown }>): ProblemState | null =>
  events.reduce<ProblemState | null>((s, e) => evolveProblem(s, e as ProblemEvent), null);
