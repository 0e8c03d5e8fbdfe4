-- Drops the indexes of 0020, CONCURRENTLY (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS idx_config_revisions_created_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_action_results_failed;
DROP INDEX CONCURRENTLY IF EXISTS idx_events_payload_gin;
