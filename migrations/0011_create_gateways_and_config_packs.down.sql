-- Drops config_packs and gateways.
DROP TABLE IF EXISTS config_packs;
DROP TABLE IF EXISTS gateways;
