/** How the writer expects the stream to stand before its append. */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export interface NewEvent {
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

export interface RecordedEvent<Data = unknown> {
  id: string;
  streamId: string;
  version: number;
  /** global order; a decimal string (bigint) */
  position: string;
  transactionId: string;
  type: string;
  schemaVersion: number;
  data: Data;
  metadata: Record<string, unknown>;
  hash: string;
  recordedAt: Date;
}

/** Where a tailer stands in the global log: after this (transaction, position). */
export interface Cursor {
  transactionId: string;
  position: string;
}

export const START: Cursor = { transactionId: '0', position: '0' };

export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${expected}, but it stands at ${actual}`);
    this.name = 'ConcurrencyError';
  }
}

/** A tailer's stored checkpoint is not where its batch started: someone (a rebuild) moved it. */
export class CheckpointMoved extends Error {
  constructor(readonly name_: string) {
    super(`checkpoint ${name_} was moved by another process`);
    this.name = 'CheckpointMoved';
  }
}
