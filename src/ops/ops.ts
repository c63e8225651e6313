import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../metrics/index.js';

/** What an operator asks of any judge process: alive, ready, and its metrics. */
export interface Ops {
  metrics: Metrics;
  /** each dependency this process needs, and whether it answers now */
  readiness(): Promise<Record<string, boolean>>;
  /** refreshes gauges that are read on demand (queue depth, lags) */
  beforeScrape?(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/** Serves /healthz, /readyz and /metrics; returns false for any other path. */
export function handleOps(ops: Ops, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    json(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz') {
    void ops.readiness().then((checks) => {
      const ready = Object.values(checks).every(Boolean);
      json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    });
    return true;
  }
  if (path === '/metrics') {
    void (async () => {
      await ops.beforeScrape?.().catch(() => {});
      res.writeHead(200, { 'content-type': ops.metrics.registry.contentType });
      res.end(await ops.metrics.registry.metrics());
    })();
    return true;
  }
  return false;
}

/** For a process without the api role (a worker host): the same endpoints on their own port. */
export async function startOpsServer(ops: Ops, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (!handleOps(ops, req, res)) json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
