-- The deadline policy: the six clocks of DESIGN.md ("Deadlines") with the defaults of
-- 《纪检监察机关处理检举控告工作规则》(2020) and 《信访工作条例》(2022). An office may change a length
-- (`docket policy set`); which event starts a clock and what it applies to are fixed by the rules.

CREATE TABLE deadline_policy (
  clock text PRIMARY KEY CHECK (
    clock IN ('forward', 'acceptance_notice', 'disposal_proposal', 'petition_handling',
              'inspection_report', 'result_feedback')),
  starts_at text NOT NULL CHECK (starts_at IN ('receipt', 'acceptance', 'closure')),
  length integer NOT NULL CHECK (length BETWEEN 1 AND 3650),
  unit text NOT NULL CHECK (unit IN ('working_days', 'calendar_days', 'months')),
  -- The longest single extension allowed, in the same unit; NULL when the clock cannot be extended.
  extension_length integer CHECK (extension_length BETWEEN 1 AND 3650),
  basis text NOT NULL
);

INSERT INTO deadline_policy (clock, starts_at, length, unit, extension_length, basis) VALUES
  ('forward', 'receipt', 5, 'working_days', NULL, '检举控告工作规则: 转送有权处理的机关'),
  ('acceptance_notice', 'receipt', 15, 'working_days', NULL, '检举控告工作规则: 实名检举控告受理告知'),
  ('disposal_proposal', 'receipt', 1, 'months', NULL, '检举控告工作规则: 提出处置意见'),
  ('petition_handling', 'acceptance', 60, 'calendar_days', 30, '信访工作条例: 申诉求决类事项办理期限'),
  ('inspection_report', 'receipt', 3, 'months', NULL, '巡视移交问题线索: 向巡视机构反馈办理情况'),
  ('result_feedback', 'closure', 15, 'working_days', NULL, '检举控告工作规则: 实名检举控告结果反馈');

-- Early warnings: blue within 5 working days of a due day, amber within 2, red once it has passed.
INSERT INTO settings (key, value) VALUES
  ('warning_blue_working_days', '5'),
  ('warning_amber_working_days', '2');
