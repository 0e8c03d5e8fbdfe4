-- Drops the presence helper functions.
DROP FUNCTION IF EXISTS presence.cleanup_stale_connections(interval);
DROP FUNCTION IF EXISTS presence.cleanup_expired_typing();
DROP FUNCTION IF EXISTS presence.update_user_status(bigint, text, text);
