-- Events of one address go out in the order they were queued, even two in one millisecond:
-- `seq` breaks the tie `created_at` leaves (a sequence, drawn as each row is inserted).
ALTER TABLE webhook_queue ADD COLUMN seq BIGSERIAL;
