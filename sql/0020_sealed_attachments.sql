-- Attachments sealed, released on purpose (issue 16, item 5).
--
-- A letter's scans, a visitor's papers, a call's recording and an email's attachments name their
-- senders as often as the text does: their bytes are sealed to the office key like identities, in
-- the envelope of the transaction that brings them. What handlers see is each one's name (redacted),
-- type and size. A custodian releases one on purpose, which keeps a plain copy readable by the
-- item's unit (row-level security), and journals who, why and with whom.

-- Attachments stored before this migration hold plain bytes (sealed = false) until `docket db
-- migrate` seals them to the office key; docket writes every new one sealed.
ALTER TABLE attachments ADD COLUMN sealed boolean NOT NULL DEFAULT false;

-- Files registered with an item at intake (`--attach`), numbered after the item's earlier ones.
CREATE TABLE intake_attachments (
  item_id bigint NOT NULL REFERENCES items,
  position integer NOT NULL CHECK (position >= 0),
  filename text,
  content_type text NOT NULL,
  sha256 bytea NOT NULL REFERENCES attachments,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (item_id, position)
);

-- Plain copies a custodian released, each for one item (the same file attached to two items is
-- released for each on its own).
CREATE TABLE attachment_releases (
  item_id bigint NOT NULL REFERENCES items,
  sha256 bytea NOT NULL REFERENCES attachments,
  released_by text NOT NULL,
  released_at timestamptz NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (item_id, sha256)
);

ALTER TABLE intake_attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_attachments_by_unit ON intake_attachments
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE attachment_releases ENABLE ROW LEVEL SECURITY;
CREATE POLICY attachment_releases_by_unit ON attachment_releases
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

DROP POLICY attachments_by_unit ON attachments;
CREATE POLICY attachments_by_unit ON attachments
  USING ((SELECT docket_sees_all()) OR sha256 IN (SELECT sha256 FROM mail_attachments)
    OR sha256 IN (SELECT sha256 FROM intake_attachments));

CREATE TRIGGER intake_attachments_journaled AFTER INSERT OR UPDATE OR DELETE ON intake_attachments
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write();
CREATE TRIGGER attachment_releases_journaled AFTER INSERT OR UPDATE OR DELETE ON attachment_releases
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write();

-- What a registrar hid later (`docket redact`): the wording before, sealed to the office key, one
-- row per redaction of an item; the plain texts keep only the marker.
CREATE TABLE redactions (
  item_id bigint NOT NULL REFERENCES items,
  number integer NOT NULL CHECK (number > 0),
  sealed bytea NOT NULL,
  redacted_by text NOT NULL,
  redacted_at timestamptz NOT NULL,
  PRIMARY KEY (item_id, number)
);
ALTER TABLE redactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY redactions_by_unit ON redactions
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));
CREATE TRIGGER redactions_journaled AFTER INSERT OR UPDATE OR DELETE ON redactions
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write();
