-- How each item counts in reports over time (DocketCore's ReportPeriod): from each moment on, its
-- status (open, overdue, closed, duplicate), responsible unit and, once closed, when and whether on
-- time. Worked out from the journal, the policy and the calendar with the clock facts of
-- 0005_clock_facts.sql, in the same transactions; `items.clocks_through` marks both as current, and
-- a reader replays the journal of an item where it is NULL. A change of policy or calendar sets it
-- to NULL for every item and works them out again.

CREATE TABLE item_periods (
  item_id bigint NOT NULL REFERENCES items,
  from_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'overdue', 'closed', 'duplicate')),
  unit_id integer REFERENCES units,
  closed_at timestamptz CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  on_time boolean CHECK (status = 'closed' OR on_time IS NULL),
  PRIMARY KEY (item_id, from_at)
);

CREATE INDEX items_clocks_unworked ON items (id) WHERE clocks_through IS NULL;

-- Items worked out before this migration have no periods yet: `docket db migrate` redoes them.
UPDATE items SET clocks_through = NULL;

-- Closure rates below this are marked in reports.
INSERT INTO settings (key, value) VALUES ('closure_rate_target_percent', '90');
