-- No write outside the journal (issue 16, item 6).
--
-- Everyone works on a database role of their own, and whatever docket does with that role, the
-- person can do in psql too; so the database cannot tell docket's statements from anyone else's.
-- What it can enforce is the rule itself, for every staff role:
--   1. Who may change what at all: staff, units, settings, the deadline policy and the calendar are
--      an administrator's (row-level security below); items are already limited to a handler's unit.
--   2. No change without its journal event: a transaction that writes any ledger table must also
--      append to the journal, or it does not commit. A statement-level trigger marks the
--      transaction as writing; one on the journal marks it as journaled; a deferred constraint
--      trigger refuses the commit of a transaction marked the first way and not the second.
--   3. What the events say is hash-chained, and `docket audit verify` works each item's state out of
--      its events again and names any row that disagrees: a raw UPDATE with a made-up event is seen.
-- The database's owner (who runs the migrations and owns docket's tables; on the embedded database,
-- docket's one role) and superusers are not checked: the README's threat table says what they can do.

-- Whether the person logged in is checked: not the database's owner, not a superuser (both are
-- members of pg_database_owner). session_user, as the functions below run with their owner's rights.
-- A built-in call only, so that the triggers' WHEN costs nothing measurable for the owner's own
-- statements: a query here was planned for every statement, 3 ms of a phone intake.
CREATE FUNCTION docket_checks_writes() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT NOT pg_has_role(session_user, 'pg_database_owner', 'MEMBER')
$$;

-- One row per transaction that wrote a ledger table; `journaled` once it appended an event.
-- Nobody but these functions touches it (no grants); rows last as long as their transaction.
CREATE UNLOGGED TABLE journal_pending (
  xact xid8 PRIMARY KEY,
  journaled boolean NOT NULL
);
REVOKE ALL ON journal_pending FROM docket_staff;

CREATE FUNCTION docket_mark_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO journal_pending (xact, journaled) VALUES (pg_current_xact_id(), false)
  ON CONFLICT (xact) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION docket_mark_journaled() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO journal_pending (xact, journaled) VALUES (pg_current_xact_id(), true)
  ON CONFLICT (xact) DO UPDATE SET journaled = true;
  RETURN NULL;
END
$$;

-- At commit: a transaction that wrote and never journaled is refused, and nothing of it stays.
CREATE FUNCTION docket_require_journal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  done boolean;
BEGIN
  DELETE FROM journal_pending WHERE xact = NEW.xact RETURNING journaled INTO done;
  IF done IS NOT NULL AND NOT done THEN
    RAISE EXCEPTION 'docket refuses a change without its journal event'
      USING ERRCODE = '42501',
        HINT = 'Change the ledger through docket, which journals every change; see docket audit log.';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER journal_pending_required AFTER INSERT ON journal_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION docket_require_journal();

CREATE TRIGGER journal_marks_journaled AFTER INSERT ON journal
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_journaled();

-- Every table docket keeps but the journal itself, its head (moved only with an event), and the
-- receipt lookups' rate-limit counters (a failed lookup is counted, not journaled).
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY[
    'settings', 'units', 'staff', 'reference_counters', 'items', 'accused', 'calendar_years',
    'calendar_days', 'deadline_policy', 'supervision_letters', 'item_closures', 'report_rollup', 'report_years', 'report_rollup_by_unit', 'attachments',
    'mail_messages', 'mail_attachments', 'mail_quarantine', 'handover_batches', 'receipts', 'office_keys',
    'envelopes', 'custodians', 'office_key_wraps', 'matching_key'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write()',
      name || '_journaled', name);
  END LOOP;
END
$$;

-- Who may change the office's set-up: an administrator. Reading stays as it was.
CREATE FUNCTION docket_is_admin() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT FROM staff WHERE db_role = current_user AND active AND 'admin' = ANY (roles))
$$;
GRANT EXECUTE ON FUNCTION docket_is_admin() TO docket_staff;

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['staff', 'units', 'settings', 'deadline_policy', 'calendar_years', 'calendar_days']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    -- One policy per command, so that reading never asks docket_is_admin(), which reads staff.
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', name || '_read', name);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR INSERT WITH CHECK ((SELECT docket_is_admin()))', name || '_add', name);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR UPDATE USING ((SELECT docket_is_admin())) WITH CHECK ((SELECT docket_is_admin()))',
      name || '_change', name);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING ((SELECT docket_is_admin()))', name || '_remove', name);
  END LOOP;
END
$$;

-- The report rollups, as items: a handler reads their own unit's cells only (what docket's reports
-- show them). Every event's refresh writes them as the acting role, within that role's items.
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['report_rollup', 'report_rollup_by_unit', 'report_years'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR SELECT USING ((SELECT docket_sees_all()) OR unit_id = (SELECT docket_scope_unit()))',
      name || '_by_unit', name);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (true)', name || '_add', name);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (true)', name || '_change', name);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (true)', name || '_remove', name);
  END LOOP;
END
$$;
