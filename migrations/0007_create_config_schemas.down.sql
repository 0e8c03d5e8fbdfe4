-- Drops config_schemas.
DROP TABLE IF EXISTS config_schemas;
