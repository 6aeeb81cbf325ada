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

-- The report rollup (DocketCore's RollupKey): for each office month, the change in how many items
-- of each kind of standing there are. Summed up to a month's end it gives that moment's counts.
-- Kept equal to the sum of every item's contribution from its item_periods rows, in the same
-- transactions; rebuilt from nothing when the office's time zone changes.
CREATE TABLE report_rollup (
  month date NOT NULL,
  received_month date NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,
  channel text NOT NULL,
  category text NOT NULL,       -- '' for none
  unit_id integer NOT NULL,     -- 0 for none
  status text NOT NULL CHECK (status IN ('open', 'overdue', 'closed', 'duplicate')),
  closed_month date NOT NULL,   -- 0001-01-01 unless closed
  on_time smallint NOT NULL CHECK (on_time IN (-1, 0, 1)),  -- -1: no deadline, or not closed
  n bigint NOT NULL,
  PRIMARY KEY (month, received_month, kind, source, channel, category, unit_id, status, closed_month, on_time)
);

-- The same changes summed by year, without the months: a report reads the standing at the end of
-- a year before last from here, and only the last two years' months from report_rollup.
CREATE TABLE report_years (
  year integer NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,
  channel text NOT NULL,
  category text NOT NULL,
  unit_id integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'overdue', 'closed', 'duplicate')),
  n bigint NOT NULL,
  PRIMARY KEY (year, kind, source, channel, category, unit_id, status)
);

-- The median days to close reads the periods that closed in a month.
CREATE INDEX item_periods_closed ON item_periods (closed_at) WHERE status = 'closed';
