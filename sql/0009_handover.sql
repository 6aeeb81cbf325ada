-- Batch handover import (issue 5): an inspection team's list, imported whole as one batch.

CREATE TABLE handover_batches (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  -- Who handed it over, as the office names them (省委第一巡视组).
  handed_over_by text NOT NULL,
  handover_date date NOT NULL,
  file_name text NOT NULL,
  file_sha256 bytea NOT NULL CHECK (octet_length(file_sha256) = 32),
  items integer NOT NULL,
  rejected integer NOT NULL,
  imported_at timestamptz NOT NULL,
  imported_by text NOT NULL,
  -- A handover's identity: the same file from the same source on the same day is one batch.
  UNIQUE (source, handover_date, file_sha256)
);

ALTER TABLE items ADD COLUMN batch_id bigint REFERENCES handover_batches;
CREATE INDEX items_batch ON items (batch_id) WHERE batch_id IS NOT NULL;

-- An office's own column headers, header=field pairs (反映问题=summary; 来信时间=received).
INSERT INTO settings (key, value) VALUES ('handover_columns', '');
