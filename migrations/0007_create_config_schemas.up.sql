-- Creates config_schemas (reusable JSON Schema documents stored as text, checked to be JSON objects).
-- Source: seed 003 (GoConfig Guardian, 004_create_config_schemas_table).
CREATE TABLE config_schemas (
    id                  varchar(64) PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    description         text,
    schema_content      text        NOT NULL,
    created_by_user_id  bigint      REFERENCES users (id) ON DELETE CASCADE,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT config_schemas_content_is_object_chk
        CHECK (jsonb_typeof(schema_content::jsonb) = 'object')
);

CREATE INDEX idx_config_schemas_created_by ON config_schemas (created_by_user_id);

CREATE TRIGGER update_config_schemas_updated_at
    BEFORE UPDATE ON config_schemas
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
