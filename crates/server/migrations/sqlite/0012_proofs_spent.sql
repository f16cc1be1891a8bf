-- Proof-of-work challenges already used by a signup (their hex SHA-256, as handed out):
-- each solves one signup, on whichever process it arrives. Kept until the challenge
-- expires, when it would be refused anyway.
CREATE TABLE proofs_spent (
    challenge   TEXT    PRIMARY KEY,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX proofs_spent_by_expiry ON proofs_spent (expires_at);
