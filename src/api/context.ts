import type { NatsConnection } from '@nats-io/transport-node';
import type { BusNames } from '../bus/index.js';
import type { Db } from '../eventstore/index.js';
import type { Logger } from '../log/index.js';
import type { Principal } from './auth.js';
import type { ViewHub } from './view-hub.js';

export interface ApiDeps {
  db: Db;
  nc: NatsConnection;
  names: BusNames;
  adminToken: string;
  log: Logger;
  /** readiness of roles beyond the api's own (the worker's Docker, say) */
  extraReadiness?: () => Promise<Record<string, boolean>>;
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
  principal: Principal;
  /** languages some worker can run, loaded once per request */
  languages(): Promise<Map<string, LanguageView>>;
}

export function createContext(deps: ApiDeps, hub: ViewHub, principal: Principal): ApiContext {
  let languages: Promise<Map<string, LanguageView>> | null = null;
  return {
    deps,
    hub,
    principal,
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
