-- Full-text search (issue 18): one tsvector per item and per rectification measure, made by docket
-- (DocketCore/Search: Chinese as single characters and overlapping pairs, other scripts as words,
-- NFKC), because PostgreSQL's parsers do not split Chinese and pg_trgm's index cannot serve terms
-- under three characters. Written in the same transaction as the text it indexes; the rows of
-- items registered before this migration are made by `docket db migrate` afterwards.
--
-- What is indexed is what staff may read: subject, summary (the redacted texts), accused persons'
-- names and units, email replies' redacted text, the notes and reasons of moves. Never an identity:
-- those are sealed and never tokenised.

CREATE TABLE item_search (
  item_id bigint PRIMARY KEY REFERENCES items,
  tokens tsvector NOT NULL
);
CREATE INDEX item_search_tokens ON item_search USING gin (tokens);

CREATE TABLE measure_search (
  measure_id bigint PRIMARY KEY REFERENCES measures,
  tokens tsvector NOT NULL
);
CREATE INDEX measure_search_tokens ON measure_search USING gin (tokens);

-- A handler finds only their unit's items and measures, whatever they query.
ALTER TABLE item_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_search_by_unit ON item_search
  USING ((SELECT docket_sees_all()) OR item_id IN (SELECT id FROM items));
ALTER TABLE measure_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY measure_search_by_unit ON measure_search
  USING ((SELECT docket_sees_all()) OR measure_id IN (SELECT docket_scope_measures()));

CREATE TRIGGER item_search_journaled AFTER INSERT OR UPDATE OR DELETE ON item_search
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write();
CREATE TRIGGER measure_search_journaled AFTER INSERT OR UPDATE OR DELETE ON measure_search
  FOR EACH STATEMENT WHEN (docket_checks_writes()) EXECUTE FUNCTION docket_mark_write();
