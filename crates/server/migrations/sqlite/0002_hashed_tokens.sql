-- Confirmation tokens move to a table of their own, stored as SHA-256 hashes, single-use,
-- with an expiry; a reader who asks twice gets a second link and both work. The
-- plaintext tokens of pending signups are carried over marked 'plain:' and hashed by the
-- server right after this migration (SQLite has no SHA-256), then the column is gone.
CREATE TABLE signups_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL,
    newsletter    TEXT    NOT NULL,
    consent       BIGINT  NOT NULL,
    consent_text  TEXT    NOT NULL,
    article       TEXT,
    page          TEXT,
    locale        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    confirmed_at  BIGINT,
    -- When an already confirmed reader was last told so by mail (rate-limits that mail).
    notified_at   BIGINT,
    UNIQUE (email, newsletter)
);
INSERT INTO signups_new (id, email, newsletter, consent, consent_text, article, page, locale,
                         status, created_at, confirmed_at)
    SELECT id, email, newsletter, consent, consent_text, article, page, locale,
           status, created_at, confirmed_at FROM signups;

CREATE TABLE confirmations (
    token_hash  TEXT    PRIMARY KEY,
    signup_id   BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
INSERT INTO confirmations (token_hash, signup_id, created_at, expires_at)
    SELECT 'plain:' || token, id, created_at, created_at + 604800000
    FROM signups WHERE status = 'pending';

DROP TABLE signups;
ALTER TABLE signups_new RENAME TO signups;
CREATE INDEX signups_by_status ON signups (status, created_at);
CREATE INDEX confirmations_by_signup ON confirmations (signup_id);
CREATE INDEX idempotency_by_age ON idempotency (created_at);
