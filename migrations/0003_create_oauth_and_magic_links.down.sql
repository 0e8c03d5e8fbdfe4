-- Drops magic_link_tokens and oauth_accounts.
DROP TABLE IF EXISTS magic_link_tokens;
DROP TABLE IF EXISTS oauth_accounts;
