-- Creates configs: JSONB content (GIN index), composite key (project_id, key), version for optimistic locking.
-- Source: seed 003 (GoConfig Guardian, 005_create_configs_table).
CREATE TABLE configs (
    project_id          varchar(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key                 varchar(255) NOT NULL,
    content             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    schema_id           varchar(64) REFERENCES config_schemas (id) ON DELETE RESTRICT,
    version             bigint      NOT NULL DEFAULT 1,
    updated_by_user_id  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, key),
    CONSTRAINT configs_version_positive_chk CHECK (version >= 1),
    CONSTRAINT configs_key_format_chk CHECK (key <> '' AND key !~ '\s')
);

CREATE INDEX idx_configs_content_gin ON configs USING gin (content jsonb_path_ops);
CREATE INDEX idx_configs_schema_id ON configs (schema_id) WHERE schema_id IS NOT NULL;
CREATE INDEX idx_configs_updated_at ON configs (updated_at DESC);

CREATE TRIGGER update_configs_updated_at
    BEFORE UPDATE ON configs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON COLUMN configs.version IS
    'Optimistic lock: starts at 1; writers UPDATE ... SET version = version + 1 WHERE version = <expected>';
