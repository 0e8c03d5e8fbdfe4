-- Drops users (its indexes and trigger go with it).
DROP TABLE IF EXISTS users;
