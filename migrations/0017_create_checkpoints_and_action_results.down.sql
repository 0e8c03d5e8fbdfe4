-- Drops action_results and checkpoints.
DROP TABLE IF EXISTS action_results;
DROP TABLE IF EXISTS checkpoints;
