-- Creates events (immutable event log) and an AFTER INSERT trigger that sends pg_notify('events', <json>).
-- Source: seed 001 (api.8004.dev, 20250123000008_create_events_table).
CREATE TABLE events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id    varchar(64) REFERENCES projects (id) ON DELETE CASCADE,
    source        varchar(64) NOT NULL,
    event_type    varchar(64) NOT NULL,
    subject       text,
    block_number  bigint,
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_block_number_chk CHECK (block_number IS NULL OR block_number >= 0)
);

CREATE INDEX idx_events_project_time ON events (project_id, occurred_at DESC);
CREATE INDEX idx_events_type_time ON events (event_type, occurred_at DESC);
CREATE INDEX idx_events_source_block ON events (source, block_number) WHERE block_number IS NOT NULL;

CREATE FUNCTION notify_new_event()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- Keep the payload small: NOTIFY payloads are limited to 8000 bytes.
    PERFORM pg_notify('events', json_build_object(
        'id',          NEW.id,
        'project_id',  NEW.project_id,
        'source',      NEW.source,
        'event_type',  NEW.event_type,
        'occurred_at', NEW.occurred_at
    )::text);
    RETURN NULL;  -- AFTER trigger: return value is ignored
END;
$fn$;

CREATE TRIGGER events_notify_insert
    AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION notify_new_event();
