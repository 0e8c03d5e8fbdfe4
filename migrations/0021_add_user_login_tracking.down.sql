-- Drops the active_sessions view and the login tracking columns of users.
DROP VIEW IF EXISTS active_sessions;
ALTER TABLE users
    DROP COLUMN IF EXISTS login_count,
    DROP COLUMN IF EXISTS last_login_at;
