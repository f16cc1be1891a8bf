-- Events of one address go out in the order they were queued, even two in one millisecond:
-- `seq` breaks the tie `created_at` leaves (the row id, set as each row is inserted).
ALTER TABLE webhook_queue ADD COLUMN seq INTEGER;
UPDATE webhook_queue SET seq = rowid;
CREATE TRIGGER webhook_queue_seq AFTER INSERT ON webhook_queue WHEN NEW.seq IS NULL
BEGIN
    UPDATE webhook_queue SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
