-- A registrar's client may send the same intake twice: a lost COMMIT reply, a double click, a
-- script run again. An intake that names its request (`docket intake … --request-id ID`) is stored
-- with it, and the same request again finds the item instead of registering a second one; the
-- constraint settles two tries racing each other.

ALTER TABLE items ADD COLUMN request_id text UNIQUE CHECK (length(request_id) BETWEEN 1 AND 200);
