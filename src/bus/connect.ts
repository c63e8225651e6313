import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Connects and keeps reconnecting for as long as the process lives (a NATS restart is routine). */
export async function connectBus(natsUrl: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: natsUrl,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
  });
}
