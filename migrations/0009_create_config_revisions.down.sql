-- Drops the revision trigger, its function and config_revisions.
DROP TRIGGER IF EXISTS configs_record_revision ON configs;
DROP FUNCTION IF EXISTS record_config_revision();
DROP TABLE IF EXISTS config_revisions;
