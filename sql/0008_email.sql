-- Email intake (issue 4). Every message is kept whole: the raw bytes sealed with the identity key
-- (their headers name the sender), found again by Message-ID or by the SHA-256 of the raw bytes.

-- Attachment content, stored once however many messages carry it.
CREATE TABLE attachments (
  sha256 bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
  size bigint NOT NULL CHECK (size >= 0),
  content bytea NOT NULL
);

-- One row per message that reached an item: the one that opened it, or a reply added to it.
CREATE TABLE mail_messages (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES items,
  message_id text UNIQUE,
  raw_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(raw_sha256) = 32),
  raw_sealed bytea NOT NULL,
  size integer NOT NULL,
  -- Keyed hash of the sender's address, as items.reporter_match holds it, for threading replies.
  sender_match bytea,
  is_reply boolean NOT NULL,
  sent_at timestamptz,
  arrived_at timestamptz NOT NULL,
  text text NOT NULL,
  warnings text[] NOT NULL DEFAULT '{}'
);

CREATE INDEX mail_messages_item ON mail_messages (item_id);

CREATE TABLE mail_attachments (
  message_id bigint NOT NULL REFERENCES mail_messages,
  position integer NOT NULL,
  filename text,
  content_type text NOT NULL,
  sha256 bytea NOT NULL REFERENCES attachments,
  PRIMARY KEY (message_id, position)
);

-- Messages docket could not register: the raw bytes, sealed, with the reason, until a person
-- retries or drops them. Nothing is deleted: a dropped message stays, marked.
CREATE TABLE mail_quarantine (
  id bigserial PRIMARY KEY,
  raw_sha256 bytea NOT NULL CHECK (octet_length(raw_sha256) = 32),
  raw_sealed bytea NOT NULL,
  size bigint NOT NULL,
  reason text NOT NULL,
  origin text NOT NULL,
  not_mail boolean NOT NULL,
  quarantined_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'retried', 'dropped')),
  resolved_at timestamptz,
  resolved_by text,
  item_id bigint REFERENCES items
);

-- The same bytes delivered twice while held are one entry.
CREATE UNIQUE INDEX mail_quarantine_held ON mail_quarantine (raw_sha256) WHERE state = 'held';

INSERT INTO settings (key, value) VALUES
  ('email_size_limit_mb', '25'),
  ('email_default_kind', 'petition'),
  ('email_suggestion_addresses', '');
