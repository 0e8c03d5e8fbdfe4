-- Creates oauth_accounts (serial id, unique provider identity) and magic_link_tokens.
-- Source: seed 004 (Reticulum, m20250101_000005_add_oauth_and_sessions).
CREATE TABLE oauth_accounts (
    id                serial      PRIMARY KEY,
    provider          varchar(32) NOT NULL,
    provider_user_id  varchar     NOT NULL,
    user_id           bigint      NOT NULL,
    access_token      varchar,
    refresh_token     varchar,
    expires_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fk_oauth_accounts_user_id
        FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT oauth_accounts_provider_chk
        CHECK (provider IN ('github', 'google', 'discord'))
);

CREATE UNIQUE INDEX idx_oauth_accounts_provider ON oauth_accounts (provider, provider_user_id);
CREATE INDEX idx_oauth_accounts_user_id ON oauth_accounts (user_id);

CREATE TRIGGER update_oauth_accounts_updated_at
    BEFORE UPDATE ON oauth_accounts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE magic_link_tokens (
    id          serial      PRIMARY KEY,
    token       varchar     NOT NULL UNIQUE,
    email       varchar     NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT magic_link_tokens_expiry_chk CHECK (expires_at > created_at)
);

CREATE INDEX idx_magic_link_tokens_email ON magic_link_tokens (lower(email));
CREATE INDEX idx_magic_link_tokens_expires_at ON magic_link_tokens (expires_at);
-- Only unused tokens are ever looked up by the login flow.
CREATE INDEX idx_magic_link_tokens_unused ON magic_link_tokens (token) WHERE used_at IS NULL;
