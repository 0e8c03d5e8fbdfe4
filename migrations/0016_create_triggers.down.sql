-- Drops trigger_state, trigger_actions, trigger_conditions and triggers.
DROP TABLE IF EXISTS trigger_state;
DROP TABLE IF EXISTS trigger_actions;
DROP TABLE IF EXISTS trigger_conditions;
DROP TABLE IF EXISTS triggers;
