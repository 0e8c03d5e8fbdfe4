-- Creates role_permissions and seeds the default roles (one row per role_level) and two config_schemas.
-- Source: seed 003 (role_level admin/editor/viewer, config_schemas) and seed 001 (seeding section).
CREATE TABLE role_permissions (
    level        role_level PRIMARY KEY,
    can_read     boolean    NOT NULL DEFAULT true,
    can_write    boolean    NOT NULL DEFAULT false,
    can_manage   boolean    NOT NULL DEFAULT false,
    description  text       NOT NULL
);

INSERT INTO role_permissions (level, can_read, can_write, can_manage, description) VALUES
    ('admin',  true, true,  true,  'Full access, including members and API keys'),
    ('editor', true, true,  false, 'Read and write configs'),
    ('viewer', true, false, false, 'Read-only access');

INSERT INTO config_schemas (id, name, description, schema_content) VALUES
    ('feature-flags', 'Feature flags', 'Map of flag name to boolean',
     $json${"type": "object", "additionalProperties": {"type": "boolean"}}$json$),
    ('gateway-settings', 'Gateway settings', 'Settings pushed to relay gateways',
     $json${
  "type": "object",
  "required": ["region"],
  "properties": {
    "region": {"type": "string"},
    "max_connections": {"type": "integer", "minimum": 1},
    "transports": {"type": "array", "items": {"type": "string"}}
  }
}$json$);
