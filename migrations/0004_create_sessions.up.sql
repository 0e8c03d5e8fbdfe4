-- Creates sessions (active client sessions) with a partial index on active rows.
-- Source: seed 004 (Reticulum, m20250101_000003_create_sessions).
CREATE TABLE sessions (
    id          serial      PRIMARY KEY,
    session_id  varchar     NOT NULL UNIQUE,
    user_id     bigint      REFERENCES users (id) ON DELETE CASCADE,
    room_id     varchar,
    client_id   varchar,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '30 days',
    is_active   boolean     NOT NULL DEFAULT true,
    CONSTRAINT sessions_expiry_chk CHECK (expires_at > created_at)
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_room_id ON sessions (room_id);
CREATE INDEX idx_sessions_active_expires ON sessions (expires_at) WHERE is_active;
