-- Creates projects (multi-tenancy scope, text id, unique api_key, owned by a user).
-- Source: seed 003 (GoConfig Guardian, 002_create_projects_table).
CREATE TABLE projects (
    id             varchar(64) PRIMARY KEY,
    name           text        NOT NULL,
    description    text,
    api_key        text        NOT NULL,
    owner_user_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_api_key_key UNIQUE (api_key),
    CONSTRAINT projects_id_format_chk CHECK (id ~ '^[a-z0-9][a-z0-9_-]*$'),
    CONSTRAINT projects_api_key_len_chk CHECK (char_length(api_key) >= 16)
);

CREATE INDEX idx_projects_owner_user_id ON projects (owner_user_id);

CREATE TRIGGER update_projects_updated_at
    BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
