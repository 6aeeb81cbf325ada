-- The rectification ledger (整改台账, issue 17): a round of rectification after an inspection, its
-- aspects and problems, and the measures with their lead leader and responsible units. On the same
-- journal (its events carry the measure's reference, ROUND-NUMBER), roles and row-level security as
-- the case ledger.

CREATE TABLE rectification_rounds (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  team text NOT NULL CHECK (btrim(team) <> ''),
  feedback_date date NOT NULL,
  report_due date,
  created_at timestamptz NOT NULL
);

CREATE TABLE rectification_aspects (
  id serial PRIMARY KEY,
  round_id integer NOT NULL REFERENCES rectification_rounds,
  position integer NOT NULL,
  title text NOT NULL,
  UNIQUE (round_id, position)
);

CREATE TABLE rectification_problems (
  id serial PRIMARY KEY,
  aspect_id integer NOT NULL REFERENCES rectification_aspects,
  position integer NOT NULL,
  title text NOT NULL,
  UNIQUE (aspect_id, position)
);

CREATE TABLE measures (
  id bigserial PRIMARY KEY,
  round_id integer NOT NULL REFERENCES rectification_rounds,
  problem_id integer NOT NULL REFERENCES rectification_problems,
  number integer NOT NULL CHECK (number > 0),
  text text NOT NULL CHECK (btrim(text) <> ''),
  lead_id integer NOT NULL REFERENCES staff,
  category text NOT NULL CHECK (category IN ('immediate', 'deadline', 'long_term')),
  due_date date CHECK ((category = 'deadline') = (due_date IS NOT NULL)),
  target_value numeric,
  target_unit text,
  state text NOT NULL DEFAULT 'planned'
    CHECK (state IN ('planned', 'in_progress', 'completed', 'signed_off', 'reopened')),
  state_since timestamptz NOT NULL,
  claimed_by integer REFERENCES staff,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (round_id, number)
);

-- The responsible units, the lead unit first.
CREATE TABLE measure_units (
  measure_id bigint NOT NULL REFERENCES measures,
  position integer NOT NULL,
  unit_id integer NOT NULL REFERENCES units,
  PRIMARY KEY (measure_id, position)
);
CREATE INDEX measure_units_by_unit ON measure_units (unit_id);

-- A handler works the measures their unit is responsible for; everyone who sees every unit's
-- items sees every measure. The measures of the handler's unit are found with the owner's rights:
-- each table's policy reading the other would recurse.
CREATE FUNCTION docket_scope_measures() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT mu.measure_id FROM measure_units mu
  WHERE mu.unit_id = (SELECT unit_id FROM staff WHERE db_role = session_user AND active AND 'handler' = ANY (roles))
$$;
REVOKE EXECUTE ON FUNCTION docket_scope_measures() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION docket_scope_measures() TO docket_staff;

ALTER TABLE measures ENABLE ROW LEVEL SECURITY;
CREATE POLICY measures_by_unit ON measures
  USING ((SELECT docket_sees_all()) OR id IN (SELECT docket_scope_measures()));
ALTER TABLE measure_units ENABLE ROW LEVEL SECURITY;
CREATE POLICY measure_units_by_unit ON measure_units
  USING ((SELECT docket_sees_all()) OR measure_id IN (SELECT docket_scope_measures()));

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['rectification_rounds', 'rectification_aspects', 'rectification_problems',
    'measures', 'measure_units'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write()',
      name || '_journaled', name);
  END LOOP;
END
$$;
