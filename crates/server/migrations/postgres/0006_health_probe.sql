-- /healthz writes here (a row of a few pages' worth, replaced each time) to learn whether
-- the database can be written, not merely read: a full disk answers reads.
CREATE TABLE health_probe (id INTEGER PRIMARY KEY, at BIGINT NOT NULL, filler TEXT NOT NULL);
