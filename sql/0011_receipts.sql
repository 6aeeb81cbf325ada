-- Receipt codes for anonymous follow-up (issue 7): a reporter from the public is given a 20-digit
-- code when the item is registered, and with it may later ask how the item stands, without a name.
--
-- The code is split because a slow salted hash cannot be searched: the first 8 digits (the selector)
-- are kept in plain to find the row, the last 12 (the verifier) only as PBKDF2-HMAC-SHA256 with a
-- salt of the row's own. The code itself is stored nowhere and journaled never.

CREATE TABLE receipts (
  id bigserial PRIMARY KEY,
  -- One code per item; reissuing replaces the row's selector, salt and hash in place.
  item_id bigint NOT NULL UNIQUE REFERENCES items,
  selector text NOT NULL UNIQUE CHECK (selector ~ '^[0-9]{8}$'),
  salt bytea NOT NULL CHECK (length(salt) = 16),
  verifier_hash bytea NOT NULL CHECK (length(verifier_hash) = 32),
  -- PBKDF2 rounds, per row, so that new codes can be made slower without invalidating old ones.
  iterations integer NOT NULL CHECK (iterations >= 100000),
  -- What the office tells the reporter about the result (`docket receipt note`): the only free text
  -- a receipt lookup shows. Kept apart from move notes and reasons, which are written for colleagues.
  public_note text CHECK (btrim(public_note) <> ''),
  issued_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A handler sees only the receipts of the items they see: the policy reads items under the caller's
-- own row-level security (if items has none, every row passes). The tables' owner is not subject to it.
ALTER TABLE receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY receipts_follow_items ON receipts USING (item_id IN (SELECT id FROM items));

-- Failed lookups, for the rate limit: each docket run is a new process, so the count lives here.
-- Only the selector that was tried is kept, never the rest of what was typed (a mistyped real code
-- would be nearly the secret), and for unknown selectors as well as known ones, so that the limit
-- says nothing about which codes exist. No row-level security: the overall limit must count every
-- failure, whoever made it.
CREATE TABLE receipt_attempts (
  id bigserial PRIMARY KEY,
  selector text NOT NULL,
  -- The staff member (or front end's account) that asked, to see who was guessing.
  actor text NOT NULL,
  attempted_at timestamptz NOT NULL
);

CREATE INDEX receipt_attempts_selector ON receipt_attempts (selector, attempted_at);
CREATE INDEX receipt_attempts_time ON receipt_attempts (attempted_at);

-- Failed lookups older than the keeping period are forgotten by whoever records the next one.
GRANT DELETE ON receipt_attempts TO docket_staff;
