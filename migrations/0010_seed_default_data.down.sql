-- Removes the seeded config_schemas rows and drops role_permissions.
DELETE FROM config_schemas WHERE id IN ('feature-flags', 'gateway-settings');
DROP TABLE IF EXISTS role_permissions;
