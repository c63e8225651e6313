// What travels on the bus. Events are mirrored as they are in Postgres; a job names the
// submission and round to judge, and the worker reads everything else from the event store.

export interface JudgeJob {
  submissionId: string;
  round: number;
  language: string;
}

export interface ViewChanged {
  submissionId: string;
  version: number;
  status: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export const decodeJson = <T>(data: Uint8Array): T => JSON.parse(decoder.decode(data)) as T;
