-- When mail was last queued to each address on a signup's request (its key is a hash of
-- the address, as for rate limits): at most three in a day, across newsletters and
-- processes, so that strangers cannot bury an inbox in confirmation requests. One row per
-- address, which also makes concurrent requests for it wait for each other.
CREATE TABLE mail_caps (key TEXT PRIMARY KEY, sent_at TEXT NOT NULL, updated_at BIGINT NOT NULL);
