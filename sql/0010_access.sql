-- Who may read what, enforced by the database as well as by docket (issue 7).
--
-- Every person works through a PostgreSQL role of their own (peer or password authentication, as the
-- DBA runs it), mapped to a staff record by staff.db_role and made a member of the group role
-- docket_staff, which holds the table privileges. Row-level security then limits a handler to the
-- items assigned to their unit, so that psql, a report tool or any other client on that role cannot
-- read across units either. The tables' owner (the role that runs the migrations; on the embedded
-- database, its administrator) is not subject to these policies.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'docket_staff') THEN
    CREATE ROLE docket_staff NOLOGIN;
  END IF;
END
$$;

-- The staff record of the role running the query, if it is active. Invoker's rights, so that
-- current_user is the person and not a function owner.
CREATE FUNCTION docket_sees_all() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(bool_or(roles && ARRAY['registrar', 'leader', 'case_office', 'auditor', 'admin']), false)
  FROM staff WHERE db_role = current_user AND active
$$;

-- The unit a handler works for; NULL for anyone who is not an active handler with a unit.
CREATE FUNCTION docket_scope_unit() RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT unit_id FROM staff WHERE db_role = current_user AND active AND 'handler' = ANY (roles)
$$;

-- Whether an item is visible to the role running the query. Policies call the two functions above
-- as scalar subqueries, so each is evaluated once per statement rather than once per row.
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_by_unit ON items
  USING ((SELECT docket_sees_all()) OR unit_id = (SELECT docket_scope_unit()));

ALTER TABLE accused ENABLE ROW LEVEL SECURITY;
CREATE POLICY accused_by_unit ON accused
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

-- Events without an item (staff, settings, batches, quarantine) are for those who see everything.
ALTER TABLE journal ENABLE ROW LEVEL SECURITY;
CREATE POLICY journal_by_unit ON journal
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE item_clocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_clocks_by_unit ON item_clocks
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE item_holds ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_holds_by_unit ON item_holds
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE item_periods ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_periods_by_unit ON item_periods
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE mail_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_messages_by_unit ON mail_messages
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));

ALTER TABLE mail_attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_attachments_by_unit ON mail_attachments
  USING ((SELECT docket_sees_all()) OR message_id IN (SELECT id FROM mail_messages));

ALTER TABLE attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY attachments_by_unit ON attachments
  USING ((SELECT docket_sees_all()) OR sha256 IN (SELECT sha256 FROM mail_attachments));

-- Unregistered mail and whole batches are intake's business.
ALTER TABLE mail_quarantine ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_quarantine_intake ON mail_quarantine USING ((SELECT docket_sees_all()));

ALTER TABLE handover_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY handover_batches_intake ON handover_batches USING ((SELECT docket_sees_all()));

-- A unit's supervision letters list only its own items.
ALTER TABLE supervision_letters ENABLE ROW LEVEL SECURITY;
CREATE POLICY supervision_letters_by_unit ON supervision_letters
  USING ((SELECT docket_sees_all()) OR unit_id = (SELECT docket_scope_unit()));

-- What a member of docket_staff may do at all; the policies above narrow the rows. Nothing docket
-- keeps is deleted but the caches it works out again (clocks, periods, rollups) and a year's
-- calendar when it is imported again; the journal takes no UPDATE either (its triggers refuse
-- changes from anyone), and the migration record is read-only. Tables later migrations create get
-- SELECT, INSERT and UPDATE; a migration that needs DELETE grants it itself.
GRANT USAGE ON SCHEMA public TO docket_staff;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO docket_staff;
GRANT DELETE ON item_clocks, item_holds, item_periods, report_rollup, report_rollup_by_unit, report_years,
  calendar_days TO docket_staff;
REVOKE INSERT, UPDATE ON docket_migrations FROM docket_staff;
REVOKE UPDATE ON journal FROM docket_staff;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO docket_staff;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO docket_staff;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO docket_staff;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO docket_staff;

-- Makes a person's database role a member of docket_staff, for `docket staff add --db-role`. It runs
-- with its owner's rights (who may grant docket_staff), so it lets only an active administrator, or
-- a superuser, call it; the role name is quoted by format(%I), never spliced.
CREATE FUNCTION docket_enrol_role(role_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = session_user AND rolsuper)
     AND NOT EXISTS (SELECT FROM staff WHERE db_role = session_user AND active AND 'admin' = ANY (roles)) THEN
    RAISE EXCEPTION 'only an active administrator may enrol database roles' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
    RAISE EXCEPTION 'database role "%" does not exist', role_name USING ERRCODE = '42704';
  END IF;
  EXECUTE format('GRANT docket_staff TO %I', role_name);
END
$$;
REVOKE EXECUTE ON FUNCTION docket_enrol_role(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION docket_enrol_role(text) TO docket_staff;
