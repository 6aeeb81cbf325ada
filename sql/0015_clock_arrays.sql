-- An item's clock facts, holds and report periods move onto its own row, as arrays of composite
-- values. They are always read and rewritten whole for one item, never one row at a time, and as
-- tables (0005, 0006) they cost a handover import four more rows and six more index entries per
-- list row than the item itself: a batch of 100k wrote 750k rows. What a report has to find across
-- items without reading them all, the periods that closed in a month, stays a small table of its
-- own (item_closures), which an open item, and so a handover's new item, has no row in.

CREATE DOMAIN clock_name AS text CHECK (
  VALUE IN ('forward', 'acceptance_notice', 'disposal_proposal', 'petition_handling', 'inspection_report',
            'result_feedback'));
CREATE DOMAIN report_status AS text CHECK (VALUE IN ('open', 'overdue', 'closed', 'duplicate'));

-- One clock: when it started and stopped, and the extension asked for (the policy's longest
-- extension caps it when read).
CREATE TYPE clock_span AS (clock clock_name, started_at timestamptz, stopped_at timestamptz, extension_days integer);
CREATE TYPE hold_span AS (held_from timestamptz, held_until timestamptz);
-- From `from_at` on, how the item counts in reports (DocketCore's ReportPeriod).
CREATE TYPE report_period AS (
  from_at timestamptz, status report_status, unit_id integer, closed_at timestamptz, on_time boolean);

-- Constant defaults: adding the columns rewrites nothing.
ALTER TABLE items
  ADD COLUMN clocks clock_span[] NOT NULL DEFAULT '{}',
  ADD COLUMN holds hold_span[] NOT NULL DEFAULT '{}',
  ADD COLUMN periods report_period[] NOT NULL DEFAULT '{}';

-- Each closed period, with the start of the period after it (NULL while it is the last): a month's
-- closures still closed at its end are those with closed_at in the month and no next period before
-- the end. Like the tables it replaces (0012_derived_tables.sql), without a foreign key to items.
CREATE TABLE item_closures (
  item_id bigint NOT NULL,
  from_at timestamptz NOT NULL,
  closed_at timestamptz NOT NULL,
  unit_id integer,
  until_at timestamptz CHECK (until_at > from_at),
  PRIMARY KEY (item_id, from_at)
);
CREATE INDEX item_closures_closed ON item_closures (closed_at);

ALTER TABLE item_closures ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_closures_by_unit ON item_closures
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));
GRANT DELETE ON item_closures TO docket_staff;

-- Everything moves over set-based, also for items whose clocks_through is NULL: their stale periods
-- are what the rollup still counts, and what working them out again moves it away from.
UPDATE items i SET
  clocks = coalesce(c.spans, '{}'), holds = coalesce(h.spans, '{}'), periods = coalesce(p.spans, '{}')
FROM items x
LEFT JOIN (
  -- In DocketCore's order of clocks, as the service writes them.
  SELECT item_id, array_agg(ROW(clock, started_at, stopped_at, extension_days)::clock_span
    ORDER BY array_position(ARRAY['forward', 'acceptance_notice', 'disposal_proposal', 'petition_handling',
                                  'inspection_report', 'result_feedback'], clock)) AS spans
  FROM item_clocks GROUP BY item_id
) c ON c.item_id = x.id
LEFT JOIN (
  SELECT item_id, array_agg(ROW(held_from, held_until)::hold_span ORDER BY held_from) AS spans
  FROM item_holds GROUP BY item_id
) h ON h.item_id = x.id
LEFT JOIN (
  SELECT item_id, array_agg(ROW(from_at, status, unit_id, closed_at, on_time)::report_period ORDER BY from_at) AS spans
  FROM item_periods GROUP BY item_id
) p ON p.item_id = x.id
WHERE i.id = x.id AND (c.spans IS NOT NULL OR h.spans IS NOT NULL OR p.spans IS NOT NULL);

INSERT INTO item_closures (item_id, from_at, closed_at, unit_id, until_at)
SELECT item_id, from_at, closed_at, unit_id, until_at
FROM (
  SELECT item_id, from_at, status, closed_at, unit_id,
    lead(from_at) OVER (PARTITION BY item_id ORDER BY from_at) AS until_at
  FROM item_periods
) p
WHERE status = 'closed';

DROP TABLE item_clocks, item_holds, item_periods;
