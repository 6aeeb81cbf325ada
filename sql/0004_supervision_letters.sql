-- Supervision letters (提醒函, 催办函, 督办函) issued from the overdue board: one per unit, numbered in
-- a yearly sequence per kind, listing the unit's items. The letter's text is rebuilt from this record
-- and the journal; the reporter never appears in it.

CREATE TABLE supervision_letters (
  id bigserial PRIMARY KEY,
  year integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reminder', 'chaser', 'supervision')),
  number integer NOT NULL,
  unit_id integer NOT NULL REFERENCES units,
  issued_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  item_refs text[] NOT NULL CHECK (cardinality(item_refs) > 0),
  UNIQUE (year, kind, number)
);

INSERT INTO settings (key, value) VALUES ('supervision_after_working_days', '10');
