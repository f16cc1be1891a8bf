-- Several serve processes on one database behave as one (SPEC 6.2): what they coordinate
-- on lives here.

-- An Idempotency-Key is claimed (status 0) before any work, with a hash of the request
-- it came with: the same key with another body is refused. `subject` is the hash of the
-- address the request was for, so that an erasure finds its keys.
ALTER TABLE idempotency ADD COLUMN request_hash TEXT;
ALTER TABLE idempotency ADD COLUMN subject TEXT;

-- Rate limits counted in fixed windows, shared by every process. Per-address keys hold a
-- hash of the address, never the address.
CREATE TABLE rate_counts (
    key           TEXT    NOT NULL,
    window_start  BIGINT  NOT NULL,
    count         BIGINT  NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Mail waiting to be sent. A row goes once sent; a failed send waits longer each time.
-- A confirmation's token is made when it is sent, so no plaintext token is ever stored.
CREATE TABLE mail_queue (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT    NOT NULL,
    signup_id     BIGINT  NOT NULL,
    email         TEXT    NOT NULL,
    newsletter    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    attempts      BIGINT  NOT NULL DEFAULT 0,
    next_at       BIGINT  NOT NULL,
    locked_until  BIGINT,
    last_error    TEXT,
    UNIQUE (signup_id, kind)
);
CREATE INDEX mail_queue_due ON mail_queue (next_at);

-- Webhook events waiting to be delivered; id is the webhook-id, the same on every retry.
-- A row goes once delivered.
CREATE TABLE webhook_queue (
    id            TEXT    PRIMARY KEY,
    type          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    attempts      BIGINT  NOT NULL DEFAULT 0,
    next_at       BIGINT  NOT NULL,
    locked_until  BIGINT,
    last_error    TEXT
);
CREATE INDEX webhook_queue_due ON webhook_queue (next_at);
