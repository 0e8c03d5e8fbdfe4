-- Drops every presence table, then the (then empty) presence schema.
DROP TABLE IF EXISTS presence.status_history;
DROP TABLE IF EXISTS presence.activity_log;
DROP TABLE IF EXISTS presence.subscriptions;
DROP TABLE IF EXISTS presence.typing_indicators;
DROP TABLE IF EXISTS presence.connections;
DROP TABLE IF EXISTS presence.user_status;
DROP SCHEMA IF EXISTS presence;
