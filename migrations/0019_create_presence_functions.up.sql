-- Creates the presence helper functions: update_user_status, cleanup_expired_typing, cleanup_stale_connections.
-- Source: seed 002 (Echo Backend, 000002_add_presence_schema, "Helper Functions").
CREATE FUNCTION presence.update_user_status(
    p_user_id   bigint,
    p_status    text,
    p_device_id text DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_previous text;
BEGIN
    SELECT status INTO v_previous
    FROM presence.user_status
    WHERE user_id = p_user_id
    FOR UPDATE;

    INSERT INTO presence.user_status AS us (user_id, status, last_seen_at, last_active_device)
    VALUES (p_user_id, p_status, now(), p_device_id)
    ON CONFLICT (user_id) DO UPDATE
        SET status             = EXCLUDED.status,
            last_seen_at       = EXCLUDED.last_seen_at,
            last_active_device = COALESCE(EXCLUDED.last_active_device, us.last_active_device);

    IF v_previous IS DISTINCT FROM p_status THEN
        INSERT INTO presence.status_history (user_id, previous_status, new_status, device_id)
        VALUES (p_user_id, v_previous, p_status, p_device_id);
    END IF;
END;
$fn$;

COMMENT ON FUNCTION presence.update_user_status(bigint, text, text) IS
    'Upserts presence.user_status and records a status_history row when the status changes';

CREATE FUNCTION presence.cleanup_expired_typing()
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_deleted integer;
BEGIN
    DELETE FROM presence.typing_indicators WHERE expires_at < now();
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$fn$;

CREATE FUNCTION presence.cleanup_stale_connections(p_timeout interval DEFAULT interval '30 seconds')
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_marked integer;
BEGIN
    WITH stale AS (
        UPDATE presence.connections
           SET status = 'disconnected',
               disconnected_at = now()
         WHERE status = 'connected'
           AND last_heartbeat_at < now() - p_timeout
        RETURNING user_id
    )
    SELECT count(*) INTO v_marked FROM stale;

    -- Recount devices; users left with no live connection go offline.
    UPDATE presence.user_status us
       SET active_device_count = c.n,
           status = CASE WHEN c.n = 0 THEN 'offline' ELSE us.status END
      FROM (SELECT s.user_id,
                   (SELECT count(*)::integer
                      FROM presence.connections pc
                     WHERE pc.user_id = s.user_id AND pc.status = 'connected') AS n
              FROM presence.user_status s) AS c
     WHERE c.user_id = us.user_id
       AND (us.active_device_count <> c.n OR (c.n = 0 AND us.status <> 'offline'));

    RETURN v_marked;
END;
$fn$;
