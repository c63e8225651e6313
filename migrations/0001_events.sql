-- The event log: the source of truth. Rows are only ever inserted.
CREATE TABLE events (
  position        bigserial PRIMARY KEY,
  -- the writing transaction: tailers read in (transaction_id, position) order and only below
  -- the oldest running transaction, so a late commit can never be skipped
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid NOT NULL UNIQUE,
  stream_id       text NOT NULL,
  stream_version  integer NOT NULL CHECK (stream_version > 0),
  type            text NOT NULL,
  schema_version  integer NOT NULL DEFAULT 1,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- sha256 over the canonical event and the previous event's hash in the same stream
  hash            text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_tail ON events (transaction_id, position);

-- Where each tailer (relay, projectors) has got to.
CREATE TABLE checkpoints (
  name            text PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  position        bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
