-- Drops rate_limits, the gateway status triggers and function, and gateway_status_history.
DROP TABLE IF EXISTS rate_limits;
DROP TRIGGER IF EXISTS gateways_log_status_update ON gateways;
DROP TRIGGER IF EXISTS gateways_log_status_insert ON gateways;
DROP FUNCTION IF EXISTS log_gateway_status_change();
DROP TABLE IF EXISTS gateway_status_history;
