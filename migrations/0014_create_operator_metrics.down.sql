-- Drops operator_metrics (hypertable chunks or native partitions go with it) and, if migration 0014
-- created the timescaledb extension, the extension too. Works with and without TimescaleDB.
DO $migration$
DECLARE
    note text := obj_description(to_regclass('operator_metrics'), 'pg_class');
BEGIN
    EXECUTE 'DROP TABLE IF EXISTS operator_metrics';
    IF note LIKE '%extension created by this migration%' THEN
        EXECUTE 'DROP EXTENSION IF EXISTS timescaledb';
    END IF;
END
$migration$;
