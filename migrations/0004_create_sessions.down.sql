-- Drops sessions.
DROP TABLE IF EXISTS sessions;
