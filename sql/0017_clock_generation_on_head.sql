-- The count of policy and calendar changes, which a registration's clocks were worked out at, moves
-- from settings onto the journal's head. A registration checks it once it holds the head, and the
-- locking read of the head's row returns its latest committed version; a read of settings in the
-- same statement would see the statement's snapshot from before the wait for the lock, and one
-- after it cost a round trip. A change of policy or calendar journals too, so it moves the head in
-- the same transaction anyway.
ALTER TABLE journal_head ADD COLUMN clock_generation bigint NOT NULL DEFAULT 0;
UPDATE journal_head
SET clock_generation = coalesce((SELECT value::bigint FROM settings WHERE key = 'clock_generation'), 0);
DELETE FROM settings WHERE key = 'clock_generation';
