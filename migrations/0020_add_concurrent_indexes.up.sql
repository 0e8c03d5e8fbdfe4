-- Adds indexes on tables that grow large, built CONCURRENTLY (pgmc runs this file outside a transaction).
-- Source: seed 002 ("Additional indexes for performance") and seed 001 (performance indexes).
CREATE INDEX CONCURRENTLY idx_events_payload_gin ON events USING gin (payload jsonb_path_ops);
CREATE INDEX CONCURRENTLY idx_action_results_failed ON action_results (executed_at DESC) WHERE status = 'failed';
CREATE INDEX CONCURRENTLY idx_config_revisions_created_by ON config_revisions (created_by_user_id);
