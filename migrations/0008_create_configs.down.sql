-- Drops configs.
DROP TABLE IF EXISTS configs;
