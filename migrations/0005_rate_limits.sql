-- Counters of the abuse limits (rate-limiter-flexible's Postgres store), shared by every api
-- replica. Unlogged: losing them in a crash only resets the windows.
CREATE UNLOGGED TABLE rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);
