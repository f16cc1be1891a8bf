-- One request may sign an address up to several newsletters (the form's checkboxes): they
-- travel in one confirmation mail and are confirmed by one link. `batch` names the signup
-- whose mail carries this one (NULL: its own); the request that last asked decides.
ALTER TABLE signups ADD COLUMN batch BIGINT;

-- What each token confirms, fixed when its mail is written: a link confirms only what the
-- mail it came in listed, whatever is asked for the address later.
CREATE TABLE confirmation_signups (
    token_hash  TEXT    NOT NULL,
    signup_id   BIGINT  NOT NULL,
    PRIMARY KEY (token_hash, signup_id)
);
INSERT INTO confirmation_signups (token_hash, signup_id)
    SELECT token_hash, signup_id FROM confirmations;
CREATE INDEX confirmation_signups_by_signup ON confirmation_signups (signup_id);
CREATE INDEX signups_by_batch ON signups (batch);
