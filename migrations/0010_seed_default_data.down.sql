-- Removes the seeded config_schemas rows (configs using them are detached first: schema_id is set
-- to NULL, since configs.schema_id is ON DELETE RESTRICT) and drops role_permissions.
UPDATE configs SET schema_id = NULL WHERE schema_id IN ('feature-flags', 'gateway-settings');
DELETE FROM config_schemas WHERE id IN ('feature-flags', 'gateway-settings');
DROP TABLE IF EXISTS role_permissions;
