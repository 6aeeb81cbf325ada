-- Only an intake that names its request has a request id; a handover's items, by the hundred
-- thousand, have none, and each still cost the unique index an entry for its NULL. The index now
-- holds the ids there are, under the name the constraint had (the service recognises a second try
-- racing the first by it).
ALTER TABLE items DROP CONSTRAINT items_request_id_key;
CREATE UNIQUE INDEX items_request_id_key ON items (request_id) WHERE request_id IS NOT NULL;
