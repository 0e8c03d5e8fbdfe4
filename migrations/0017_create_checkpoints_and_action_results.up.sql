-- Creates checkpoints (last processed position per source) and action_results (audit of executed actions).
-- Source: seed 001 (api.8004.dev, 20250123000010 and 20250123000011).
CREATE TABLE checkpoints (
    source          varchar(64) NOT NULL,
    chain_id        integer     NOT NULL DEFAULT 0,
    last_block      bigint      NOT NULL DEFAULT 0,
    last_event_id   bigint,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, chain_id),
    CONSTRAINT checkpoints_last_block_chk CHECK (last_block >= 0)
);

CREATE TRIGGER update_checkpoints_updated_at
    BEFORE UPDATE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE action_results (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger_id     uuid        NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    action_id      bigint      REFERENCES trigger_actions (id) ON DELETE SET NULL,
    event_id       bigint      REFERENCES events (id) ON DELETE SET NULL,
    action_type    varchar(32) NOT NULL,
    status         varchar(16) NOT NULL,
    attempt        smallint    NOT NULL DEFAULT 1,
    response_code  integer,
    error_message  text,
    result         jsonb,
    duration_ms    integer,
    executed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT action_results_status_chk CHECK (status IN ('success', 'failed', 'retrying')),
    CONSTRAINT action_results_duration_chk CHECK (duration_ms IS NULL OR duration_ms >= 0),
    CONSTRAINT action_results_error_chk CHECK (status <> 'failed' OR error_message IS NOT NULL)
);

CREATE INDEX idx_action_results_trigger_time ON action_results (trigger_id, executed_at DESC);
CREATE INDEX idx_action_results_event_id ON action_results (event_id);
