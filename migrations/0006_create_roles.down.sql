-- Drops roles and the role_level enum.
DROP TABLE IF EXISTS roles;
DROP TYPE IF EXISTS role_level;
