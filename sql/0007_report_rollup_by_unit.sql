-- The report rollup summed over kind, source, channel and category: what a report of the whole
-- office, or of units, reads (DESIGN.md's default report and `--by unit`), a few thousand rows
-- where the full rollup has millions. Kept in the same statements as report_rollup; filled here
-- from it, which it sums exactly.
CREATE TABLE report_rollup_by_unit (
  month date NOT NULL,
  received_month date NOT NULL,
  unit_id integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'overdue', 'closed', 'duplicate')),
  closed_month date NOT NULL,
  on_time smallint NOT NULL CHECK (on_time IN (-1, 0, 1)),
  n bigint NOT NULL,
  PRIMARY KEY (month, received_month, unit_id, status, closed_month, on_time)
);

INSERT INTO report_rollup_by_unit (month, received_month, unit_id, status, closed_month, on_time, n)
SELECT month, received_month, unit_id, status, closed_month, on_time, sum(n)
FROM report_rollup
GROUP BY month, received_month, unit_id, status, closed_month, on_time;
