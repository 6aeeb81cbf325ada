-- Working the rectification ledger (issue 17): a measure's history (claims, progress entries with
-- their figures and evidence, completion, 对账销号 sign-off and its approval, reopening), its live
-- link to case items, and the letters to lagging units. Each row is written beside its journal
-- event; the report reads a measure's state as of any time from its history, by effective time.

-- When the measure entered the ledger (the plan's effective time): a report as of before it
-- does not count it.
ALTER TABLE measures ADD COLUMN planned_at timestamptz;
UPDATE measures SET planned_at = state_since;
ALTER TABLE measures ALTER COLUMN planned_at SET NOT NULL;
-- The rectification office's sign-off waiting for the lead leader's approval.
ALTER TABLE measures ADD COLUMN sign_off_by integer REFERENCES staff;
-- The latest effective time of its history: an entry may not be dated before it.
ALTER TABLE measures ADD COLUMN last_entry_at timestamptz;
UPDATE measures SET last_entry_at = planned_at;
ALTER TABLE measures ALTER COLUMN last_entry_at SET NOT NULL;

CREATE TABLE measure_entries (
  id bigserial PRIMARY KEY,
  measure_id bigint NOT NULL REFERENCES measures,
  kind text NOT NULL CHECK (kind IN ('claimed', 'progress', 'completed', 'sign_off_recorded', 'signed_off',
    'reopened', 'linked', 'milestone')),
  effective_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  actor text NOT NULL,
  -- The unit a handler wrote a progress entry for; NULL for the office's and leaders' entries.
  unit_id integer REFERENCES units,
  note text,
  -- A progress entry's figure reached so far (107 of 119).
  done numeric CHECK (done >= 0),
  -- The measure's state once the entry is made.
  state text NOT NULL CHECK (state IN ('planned', 'in_progress', 'completed', 'signed_off', 'reopened')),
  -- A milestone's day (its done, if any, the figure to reach by then); a long-term measure's
  -- review dates are milestones without a figure.
  milestone_on date,
  CHECK ((kind = 'milestone') = (milestone_on IS NOT NULL))
);
CREATE INDEX measure_entries_by_measure ON measure_entries (measure_id, effective_at, id);

-- Evidence of a progress entry (a scanned notice, a photo, a spreadsheet), kept under the same
-- row-level security as the measure: it is the office's work, not a reporter's identity.
CREATE TABLE measure_evidence (
  id bigserial PRIMARY KEY,
  entry_id bigint NOT NULL REFERENCES measure_entries,
  measure_id bigint NOT NULL REFERENCES measures,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL CHECK (size >= 0),
  sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
  bytes bytea NOT NULL
);
CREATE INDEX measure_evidence_by_measure ON measure_evidence (measure_id);

-- A measure's figure computed from the case ledger: the items of a handover batch, a list of
-- items, or a filter over the ledger (kind, source, channel, category, unit, batch), counted at
-- the report's as-of time. One link per measure; linking again replaces it, journaled.
CREATE TABLE measure_links (
  measure_id bigint PRIMARY KEY REFERENCES measures,
  kind text NOT NULL CHECK (kind IN ('batch', 'items', 'filter')),
  batch_id bigint,
  item_ids bigint[],
  filter text,
  linked_at timestamptz NOT NULL,
  CHECK ((kind = 'batch') = (batch_id IS NOT NULL)),
  CHECK ((kind = 'items') = (item_ids IS NOT NULL)),
  CHECK ((kind = 'filter') = (filter IS NOT NULL))
);

-- 提醒函 and 督办函 to units lagging on their measures, numbered in a yearly sequence per kind.
CREATE TABLE rectification_letters (
  id bigserial PRIMARY KEY,
  year integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reminder', 'supervision')),
  number integer NOT NULL,
  unit_id integer NOT NULL REFERENCES units,
  issued_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  measure_refs text[] NOT NULL CHECK (cardinality(measure_refs) > 0),
  UNIQUE (year, kind, number)
);

ALTER TABLE measure_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY measure_entries_by_unit ON measure_entries
  USING ((SELECT docket_sees_all()) OR measure_id IN (SELECT docket_scope_measures()));
ALTER TABLE measure_evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY measure_evidence_by_unit ON measure_evidence
  USING ((SELECT docket_sees_all()) OR measure_id IN (SELECT docket_scope_measures()));
ALTER TABLE measure_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY measure_links_by_unit ON measure_links
  USING ((SELECT docket_sees_all()) OR measure_id IN (SELECT docket_scope_measures()));
-- A unit's letters are its own.
ALTER TABLE rectification_letters ENABLE ROW LEVEL SECURITY;
CREATE POLICY rectification_letters_by_unit ON rectification_letters
  USING ((SELECT docket_sees_all()) OR unit_id = (SELECT docket_scope_unit()));

-- A measure's journal events have no item: they carry the measure's id, and a handler writes and
-- reads the events of their own unit's measures as they do their items'.
DROP POLICY journal_by_unit ON journal;
CREATE POLICY journal_by_unit ON journal
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items)
    OR (item_id IS NULL AND event LIKE 'measure\_%'
        AND (payload::jsonb ->> 'measure_id')::bigint IN (SELECT docket_scope_measures())));

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['measure_entries', 'measure_evidence', 'measure_links', 'rectification_letters']
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write()',
      name || '_journaled', name);
  END LOOP;
END
$$;

GRANT DELETE ON measure_links TO docket_staff;

-- Warnings on measures' due dates, in working days (a measure runs for months, so earlier than an
-- item's), and the working days a 立行立改 measure has from the feedback when its round sets no
-- report date.
INSERT INTO settings (key, value) VALUES
  ('measure_warning_blue_working_days', '15'),
  ('measure_warning_amber_working_days', '5'),
  ('measure_immediate_working_days', '30')
ON CONFLICT (key) DO NOTHING;

-- The office's feedback contacts, which the public progress report ends with; an office sets its
-- own with `docket config set` (the demo sets the seed's).
INSERT INTO settings (key, value) VALUES
  ('feedback_phone', ''), ('feedback_address', ''), ('feedback_envelope_note', ''), ('feedback_email', '')
ON CONFLICT (key) DO NOTHING;
