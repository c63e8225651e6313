-- Content-addressed storage for large immutable payloads (test data, checker sources): events
-- carry the sha256, so a large test set does not bloat the log.
CREATE TABLE blobs (
  hash        text PRIMARY KEY,  -- sha256, hex
  size        integer NOT NULL,
  content     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Read model of problems.
CREATE TABLE problems (
  id          uuid PRIMARY KEY,
  title       text NOT NULL,
  version     integer NOT NULL,
  test_count  integer NOT NULL,
  created_at  timestamptz NOT NULL,
  state       jsonb NOT NULL
);
CREATE INDEX problems_newest ON problems (created_at DESC, id DESC);
CREATE INDEX submissions_problem_newest ON submissions (problem_id, created_at DESC, id DESC);
