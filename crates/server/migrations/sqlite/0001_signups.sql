-- Signups, one row per (email, newsletter). Times are milliseconds since the epoch.
CREATE TABLE signups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL,
    newsletter    TEXT    NOT NULL,
    consent       BIGINT  NOT NULL,
    consent_text  TEXT    NOT NULL,
    article       TEXT,
    page          TEXT,
    locale        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    token         TEXT    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    confirmed_at  BIGINT,
    UNIQUE (email, newsletter)
);

-- Answers already given, by Idempotency-Key, so a retried request gets the same answer.
CREATE TABLE idempotency (
    key         TEXT    PRIMARY KEY,
    status      BIGINT  NOT NULL,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
