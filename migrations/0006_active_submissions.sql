-- The tenant queue cap counts a tenant's queued and running submissions on every submit: keep
-- that count to the few active rows, however many a tenant has judged.
CREATE INDEX submissions_active_by_tenant ON submissions (tenant) WHERE status IN ('QUEUED', 'COMPILING', 'RUNNING');
