-- Sealing to an office key pair (issue 16). Intake seals with the public key alone; the private key
-- exists only wrapped for custodians (leaders), each of whom has a key pair of their own whose
-- private half is sealed under their passphrase. Nothing in this schema opens without a custodian.

-- The office's key pairs: one in use, and those it replaced until a rotation has moved every
-- envelope off them (then their wraps are gone and only the fingerprint stays, for the journal).
-- The reveal quorum belongs to the key: its wraps are per custodian (1) or per pair (2).
CREATE TABLE office_keys (
  id serial PRIMARY KEY,
  fingerprint text NOT NULL UNIQUE,
  public_key bytea NOT NULL CHECK (length(public_key) = 32),
  reveal_quorum integer NOT NULL CHECK (reveal_quorum IN (1, 2)),
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);
CREATE UNIQUE INDEX office_keys_one_in_use ON office_keys ((true)) WHERE retired_at IS NULL;

-- One data key per transaction or batch, sealed to an office key with HPKE. Every sealed value
-- carries its envelope's id; the ids are random, so a value is sealed before anything is written.
CREATE TABLE envelopes (
  id bigint PRIMARY KEY CHECK (id > 0),
  key_id integer NOT NULL REFERENCES office_keys,
  header bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX envelopes_by_key ON envelopes (key_id, id);

-- The custodians: each a leader with an X25519 key pair, the private half AES-GCM-sealed under a
-- key that scrypt derives from their passphrase (salt and costs here, so they can be raised).
-- Failed passphrases are counted; enough of them lock the custodian for a while.
CREATE TABLE custodians (
  login text PRIMARY KEY REFERENCES staff (login),
  public_key bytea NOT NULL CHECK (length(public_key) = 32),
  salt bytea NOT NULL,
  scrypt_n integer NOT NULL,
  scrypt_r integer NOT NULL,
  scrypt_p integer NOT NULL,
  wrapped_private_key bytea NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  added_at timestamptz NOT NULL,
  passphrase_set_at timestamptz NOT NULL
);

-- The office's private key, wrapped to one custodian (quorum 1) or to a pair (quorum 2, logins in
-- order), never both for one key.
CREATE TABLE office_key_wraps (
  key_id integer NOT NULL REFERENCES office_keys ON DELETE CASCADE,
  custodians text[] NOT NULL CHECK (cardinality(custodians) IN (1, 2)),
  wrapped bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (key_id, custodians)
);
CREATE INDEX office_key_wraps_by_custodian ON office_key_wraps USING gin (custodians);

-- The keyed hash that links a reporter's later items and checks a reply's sender, apart from the
-- sealing keys: intake needs it to hash, so it lives here, readable by intake's roles only. A dump
-- holds it, which is why a dump can confirm a phone number one already knows (README, threats).
CREATE TABLE matching_key (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  key bytea NOT NULL CHECK (length(key) = 32),
  created_at timestamptz NOT NULL
);

-- Whether the role running the query is an active leader who is a custodian: who may change keys,
-- wraps and custodians. What a change may contain is docket's to check (it holds the passphrases);
-- the database makes sure nobody else can make one.
CREATE FUNCTION docket_is_custodian() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (
    SELECT FROM staff s JOIN custodians c ON c.login = s.login
    WHERE s.db_role = current_user AND s.active AND 'leader' = ANY (s.roles))
$$;

ALTER TABLE office_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY office_keys_read ON office_keys FOR SELECT USING (true);
CREATE POLICY office_keys_custodians ON office_keys FOR ALL
  USING ((SELECT docket_is_custodian())) WITH CHECK ((SELECT docket_is_custodian()));

ALTER TABLE envelopes ENABLE ROW LEVEL SECURITY;
CREATE POLICY envelopes_read ON envelopes FOR SELECT USING (true);
CREATE POLICY envelopes_seal ON envelopes FOR INSERT WITH CHECK (true);
CREATE POLICY envelopes_rotate ON envelopes FOR UPDATE
  USING ((SELECT docket_is_custodian())) WITH CHECK ((SELECT docket_is_custodian()));

ALTER TABLE custodians ENABLE ROW LEVEL SECURITY;
CREATE POLICY custodians_read ON custodians FOR SELECT USING (true);
CREATE POLICY custodians_change ON custodians FOR ALL
  USING ((SELECT docket_is_custodian())) WITH CHECK ((SELECT docket_is_custodian()));

ALTER TABLE office_key_wraps ENABLE ROW LEVEL SECURITY;
CREATE POLICY office_key_wraps_read ON office_key_wraps FOR SELECT USING (true);
CREATE POLICY office_key_wraps_change ON office_key_wraps FOR ALL
  USING ((SELECT docket_is_custodian())) WITH CHECK ((SELECT docket_is_custodian()));

ALTER TABLE matching_key ENABLE ROW LEVEL SECURITY;
CREATE POLICY matching_key_intake ON matching_key FOR SELECT USING ((SELECT docket_sees_all()));
-- Made once by the schema's owner (db init, or db migrate from the key file); nobody changes it.
REVOKE INSERT, UPDATE, DELETE ON matching_key FROM docket_staff;

GRANT DELETE ON office_key_wraps, custodians TO docket_staff;
GRANT EXECUTE ON FUNCTION docket_is_custodian() TO docket_staff;
