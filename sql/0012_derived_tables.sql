-- The clock facts and report periods (item_clocks, item_holds, item_periods) are caches worked out
-- again from each item's journal, written by the hundred thousand by a handover batch. Their
-- foreign keys to items cost a lookup per row (about a tenth of a batch's time) and guard nothing:
-- an item is never deleted (no role but the owner may, and its journal events, whose foreign key
-- stays, would stop it), and the rows are written only for items written in the same transaction.
ALTER TABLE item_clocks DROP CONSTRAINT item_clocks_item_id_fkey;
ALTER TABLE item_holds DROP CONSTRAINT item_holds_item_id_fkey;
ALTER TABLE item_periods DROP CONSTRAINT item_periods_item_id_fkey;
