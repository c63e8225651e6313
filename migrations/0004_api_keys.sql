-- Read model of API keys (streams apikey-<id>). Only a hash of each token is kept.
CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  tenant      text NOT NULL,
  role        text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
