-- The ledger's references, checked once per statement instead of once per row.
--
-- A foreign key checks each inserted row on its own and locks the row it refers to (FOR KEY SHARE,
-- which writes to that row's page). A handover batch inserts hundreds of thousands of items, their
-- accused and their journal events, each referring to the same staff member, the same batch, or an
-- item written a moment earlier in the same transaction; those per-row checks were a sixth of the
-- batch's time. Here each INSERT or COPY checks all its rows at once against the rows they refer to.
--
-- The lock a foreign key takes guards against the referred row being deleted meanwhile. Instead,
-- the rows referred to are never deleted, and their ids never change: items, staff, units and
-- handover batches are the ledger's record (a member of staff leaves by being disabled), and the
-- triggers at the end refuse DELETE, TRUNCATE and a changed id, for every role including the owner.
-- Errors keep the SQLSTATE (23503) and the constraint name that the foreign keys had. The checks
-- run as the tables' owner, as a foreign key's do, so that row security cannot hide the row referred
-- to (a handler's event on an item just assigned away from their unit).

ALTER TABLE items DROP CONSTRAINT items_registered_by_fkey, DROP CONSTRAINT items_batch_id_fkey;
ALTER TABLE accused DROP CONSTRAINT accused_item_id_fkey, DROP CONSTRAINT accused_unit_id_fkey;
ALTER TABLE journal DROP CONSTRAINT journal_item_id_fkey;

-- Arguments in threes: a column of the new rows, the table whose id it holds, and the name of the
-- foreign key it stands for. Identifiers are quoted by format(%I); they come from this file only.
CREATE FUNCTION ledger_check_references() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  missing bigint;
BEGIN
  FOR i IN 0 .. TG_NARGS - 1 BY 3 LOOP
    EXECUTE format(
      'SELECT n.%1$I FROM (SELECT DISTINCT %1$I FROM new_rows WHERE %1$I IS NOT NULL) n '
      'WHERE NOT EXISTS (SELECT 1 FROM %2$I r WHERE r.id = n.%1$I) LIMIT 1',
      TG_ARGV[i], TG_ARGV[i + 1]) INTO missing;
    IF missing IS NOT NULL THEN
      RAISE foreign_key_violation USING CONSTRAINT = TG_ARGV[i + 2], TABLE = TG_TABLE_NAME,
        MESSAGE = format('insert into %s refers to %s %s, which does not exist', TG_TABLE_NAME,
          TG_ARGV[i + 1], missing);
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER items_references AFTER INSERT ON items REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_references(
    'registered_by', 'staff', 'items_registered_by_fkey', 'batch_id', 'handover_batches', 'items_batch_id_fkey');
CREATE TRIGGER accused_references AFTER INSERT ON accused REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_references(
    'item_id', 'items', 'accused_item_id_fkey', 'unit_id', 'units', 'accused_unit_id_fkey');
CREATE TRIGGER journal_references AFTER INSERT ON journal REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_references('item_id', 'items', 'journal_item_id_fkey');

-- What the checks rely on: the rows referred to stay, under the same id.
CREATE FUNCTION ledger_refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'the id of a row of % never changes', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION 'rows of % are part of the ledger: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Disable a member of staff, or record an event on an item, instead of removing it.';
END;
$$;

CREATE TRIGGER items_kept BEFORE DELETE ON items
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER items_id_kept BEFORE UPDATE OF id ON items
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER items_not_truncated BEFORE TRUNCATE ON items
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER staff_kept BEFORE DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER staff_id_kept BEFORE UPDATE OF id ON staff
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER staff_not_truncated BEFORE TRUNCATE ON staff
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER units_kept BEFORE DELETE ON units
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER units_id_kept BEFORE UPDATE OF id ON units
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER units_not_truncated BEFORE TRUNCATE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER handover_batches_kept BEFORE DELETE ON handover_batches
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER handover_batches_id_kept BEFORE UPDATE OF id ON handover_batches
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ledger_refuse_removal();
CREATE TRIGGER handover_batches_not_truncated BEFORE TRUNCATE ON handover_batches
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_removal();
