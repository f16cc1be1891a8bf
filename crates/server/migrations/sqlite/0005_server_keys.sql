-- Keys the server signs with, made once and shared by every process on the database: the
-- tokens of its own /embed/ frames, whose signups come from an opaque origin (a sandboxed
-- frame) that --allow-origin cannot name.
CREATE TABLE server_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL);
