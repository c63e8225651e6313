-- Read model of submissions, folded from their streams by the projector.
CREATE TABLE submissions (
  id          uuid PRIMARY KEY,
  tenant      text NOT NULL,
  language    text NOT NULL,
  problem_id  text,
  status      text NOT NULL,
  verdict     text,
  round       integer NOT NULL,
  version     integer NOT NULL,
  created_at  timestamptz NOT NULL,
  judged_at   timestamptz,
  state       jsonb NOT NULL
);
CREATE INDEX submissions_newest ON submissions (created_at DESC, id DESC);
CREATE INDEX submissions_tenant_newest ON submissions (tenant, created_at DESC, id DESC);

-- Languages that some worker can run right now (its runtime image is present), with the
-- toolchain version read from the image. Workers write it at start; the api reads it.
CREATE TABLE languages (
  id                text PRIMARY KEY,
  name              text NOT NULL,
  version           text NOT NULL,
  compiled          boolean NOT NULL,
  source_file_name  text NOT NULL,
  seen_at           timestamptz NOT NULL DEFAULT now()
);
