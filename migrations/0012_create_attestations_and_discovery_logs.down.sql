-- Drops discovery_logs and attestations.
DROP TABLE IF EXISTS discovery_logs;
DROP TABLE IF EXISTS attestations;
