-- Claiming a webhook event checks that no older event for the same address is waiting
-- (events of one address go out in order), and erasure deletes an address's events: both
-- look rows up by address, every poll of every process.
CREATE INDEX webhook_queue_by_email ON webhook_queue (email, created_at);
