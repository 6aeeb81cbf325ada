-- The case ledger: units, staff, items, accused persons and the tamper-evident journal.
-- Vocabularies are checked here as well as in DocketCore, so that no other writer can store a word
-- the application would not understand.

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

INSERT INTO settings (key, value) VALUES
  ('office_timezone', 'Asia/Shanghai'),
  ('reference_pattern', '{year}-{code}-{seq:5}');

CREATE TABLE units (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id serial PRIMARY KEY,
  login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  roles text[] NOT NULL CHECK (
    cardinality(roles) > 0
    AND roles <@ ARRAY['registrar', 'handler', 'leader', 'case_office', 'auditor', 'admin']),
  unit_id integer REFERENCES units,
  -- The database role that acts as this person when no --as is given.
  db_role text UNIQUE,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The last number handed out per year and kind; the row lock serialises allocation.
CREATE TABLE reference_counters (
  year integer NOT NULL,
  kind text NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (year, kind)
);

CREATE TABLE items (
  id bigserial PRIMARY KEY,
  ref text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('accusation', 'appeal', 'suggestion', 'petition', 'clue')),
  source text NOT NULL CHECK (
    source IN ('public', 'inspection', 'superior', 'transfer', 'internal', 'subordinate', 'media')),
  channel text NOT NULL CHECK (
    channel IN ('letter', 'visit', 'phone', 'email', 'online', 'fax', 'handover')),
  subject text NOT NULL CHECK (btrim(subject) <> ''),
  summary text NOT NULL DEFAULT '',
  category text,
  reporter_kind text NOT NULL CHECK (reporter_kind IN ('real_name', 'anonymous')),
  -- AES-GCM sealed identity (nonce, ciphertext, tag); never plain text.
  reporter_sealed bytea,
  -- Keyed hashes (HMAC-SHA256) of each identifying value, for matching without decrypting.
  reporter_match bytea[] NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'registered' CHECK (
    state IN ('registered', 'accepted', 'assigned', 'handling', 'on_hold', 'concluded', 'closed',
              'not_accepted', 'duplicate', 'forwarded')),
  state_since timestamptz NOT NULL,
  unit_id integer REFERENCES units,
  handler_id integer REFERENCES staff,
  duplicate_of bigint REFERENCES items,
  forwarded_to text,
  disposal text CHECK (
    disposal IN ('talk_inquiry', 'preliminary_verification', 'hold', 'close_off', 'file_case')),
  disposal_approved_by integer REFERENCES staff,
  finding text CHECK (
    finding IN ('substantiated', 'largely_substantiated', 'partly_substantiated', 'unsubstantiated',
                'support', 'explain', 'reject')),
  false_accusation boolean NOT NULL DEFAULT false,
  hold_until date,
  -- What the channel adds that is not identity: call duration, operator, postmark, envelope note.
  channel_details jsonb NOT NULL DEFAULT '{}',
  registered_by integer NOT NULL REFERENCES staff,
  last_event_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (state <> 'duplicate' OR duplicate_of IS NOT NULL),
  CHECK (reporter_kind = 'anonymous' OR reporter_sealed IS NOT NULL)
);

CREATE INDEX items_state ON items (state);
CREATE INDEX items_kind_received ON items (kind, received_at);
CREATE INDEX items_received ON items (received_at);
CREATE INDEX items_unit ON items (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX items_reporter_match ON items USING gin (reporter_match);

CREATE TABLE accused (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES items,
  position integer NOT NULL,
  name text NOT NULL CHECK (btrim(name) <> ''),
  unit_id integer REFERENCES units,
  unit_name text,
  rank text,
  UNIQUE (item_id, position)
);

CREATE INDEX accused_name ON accused (name);

-- The journal: one row per event, chained by SHA-256 (see DocketStore/Repositories/Journal.swift for
-- the exact bytes hashed). `seq` is gapless and assigned under the lock on journal_head.
CREATE TABLE journal (
  seq bigint PRIMARY KEY,
  item_id bigint REFERENCES items,
  actor text NOT NULL,
  event text NOT NULL,
  effective_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  payload text NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL
);

CREATE INDEX journal_item ON journal (item_id, seq) WHERE item_id IS NOT NULL;

CREATE TABLE journal_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq bigint NOT NULL,
  hash bytea NOT NULL
);

INSERT INTO journal_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the journal is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a new event instead of changing an old one.';
END;
$$;

CREATE TRIGGER journal_no_update_delete BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
  FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();
