-- Creates gateway_status_history (filled by a trigger on gateways.status) and rate_limits (composite PK).
-- Source: seed 000 (LumenLink, 0001_initial_schema: gateway_status_history, rate_limits).
CREATE TABLE gateway_status_history (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gateway_id  uuid        NOT NULL REFERENCES gateways (id) ON DELETE CASCADE,
    old_status  varchar(16),
    new_status  varchar(16) NOT NULL,
    reason      text,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_gateway_status_history_gateway ON gateway_status_history (gateway_id, changed_at DESC);

CREATE FUNCTION log_gateway_status_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO gateway_status_history (gateway_id, old_status, new_status, reason)
    VALUES (NEW.id,
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
            NEW.status,
            NEW.metadata ->> 'status_reason');
    RETURN NEW;
END;
$$;

CREATE TRIGGER gateways_log_status_insert
    AFTER INSERT ON gateways
    FOR EACH ROW EXECUTE FUNCTION log_gateway_status_change();

CREATE TRIGGER gateways_log_status_update
    AFTER UPDATE OF status ON gateways
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION log_gateway_status_change();

CREATE TABLE rate_limits (
    key_type       varchar(16) NOT NULL,
    key            text        NOT NULL,
    endpoint       text        NOT NULL DEFAULT '*',
    window_start   timestamptz NOT NULL,
    window_length  interval    NOT NULL DEFAULT interval '1 minute',
    request_count  integer     NOT NULL DEFAULT 0,
    max_requests   integer     NOT NULL DEFAULT 60,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_type, key, endpoint, window_start),
    CONSTRAINT rate_limits_key_type_chk CHECK (key_type IN ('device', 'ip', 'api_key')),
    CONSTRAINT rate_limits_count_chk CHECK (request_count >= 0 AND max_requests > 0)
);

CREATE INDEX idx_rate_limits_window_start ON rate_limits (window_start);

CREATE TRIGGER update_rate_limits_updated_at
    BEFORE UPDATE ON rate_limits
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
