-- Adds users.last_login_at / users.login_count and the active_sessions view over sessions and users.
-- Source: seed 004 (sessions, "Profile Settings") and seed 003 (users).
ALTER TABLE users
    ADD COLUMN last_login_at timestamptz,
    ADD COLUMN login_count integer NOT NULL DEFAULT 0 CONSTRAINT users_login_count_chk CHECK (login_count >= 0);

CREATE VIEW active_sessions AS
SELECT s.session_id,
       s.user_id,
       u.email,
       s.client_id,
       s.created_at,
       s.expires_at
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.is_active
  AND s.expires_at > now();
