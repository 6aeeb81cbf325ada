-- What each item's journal says about its deadline clocks (DocketCore's ClockFacts): which clocks
-- apply, when each started and stopped, and the item's time on hold. Written in the transaction of
-- every event that changes them, so that the overdue board and `list --warning` read a few rows per
-- item instead of replaying every journal. Lengths and due days are not stored: they come from the
-- policy and the calendar when read, so changing either needs no rewrite here.

CREATE TABLE item_clocks (
  item_id bigint NOT NULL REFERENCES items,
  clock text NOT NULL CHECK (
    clock IN ('forward', 'acceptance_notice', 'disposal_proposal', 'petition_handling',
              'inspection_report', 'result_feedback')),
  started_at timestamptz NOT NULL,
  stopped_at timestamptz CHECK (stopped_at >= started_at),
  -- The extension asked for; the policy's longest extension caps it when read.
  extension_days integer NOT NULL DEFAULT 0 CHECK (extension_days >= 0),
  PRIMARY KEY (item_id, clock)
);

CREATE INDEX item_clocks_running ON item_clocks (item_id) INCLUDE (clock, started_at, extension_days)
  WHERE stopped_at IS NULL;

CREATE TABLE item_holds (
  item_id bigint NOT NULL REFERENCES items,
  held_from timestamptz NOT NULL,
  held_until timestamptz CHECK (held_until >= held_from),
  PRIMARY KEY (item_id, held_from)
);

-- The effective time of the latest event the rows above were worked out from; NULL until they have
-- been (items registered before this migration, until `docket db migrate` works them out). A reader
-- asking about an earlier moment, or finding NULL, replays the journal instead.
ALTER TABLE items ADD COLUMN clocks_through timestamptz;
