-- Whether a webhook was told of the signup (a subscriber.confirmed event was queued for it):
-- erasing the address then always queues subscriber.deleted, whatever `signups delete` is
-- given, so the provider never keeps an address the publisher erased. Signups confirmed
-- before this column existed count as told: a deleted event the provider did not need is
-- harmless, a missing one leaves the address on its list.
ALTER TABLE signups ADD COLUMN webhook_told INTEGER NOT NULL DEFAULT 0;
UPDATE signups SET webhook_told = 1 WHERE status = 'subscribed';
