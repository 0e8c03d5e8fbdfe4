-- Creates the role_level enum and roles (per-project RBAC, composite primary key).
-- Source: seed 003 (GoConfig Guardian, 003_create_roles_table); granted_by/granted_at from seed 004.
CREATE TYPE role_level AS ENUM ('admin', 'editor', 'viewer');

CREATE TABLE roles (
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id  varchar(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    level       role_level  NOT NULL DEFAULT 'viewer',
    granted_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, project_id)
);

CREATE INDEX idx_roles_project_id ON roles (project_id);
CREATE INDEX idx_roles_project_admins ON roles (project_id) WHERE level = 'admin';
