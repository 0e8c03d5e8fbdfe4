-- Drops the updated_at trigger function.
DROP FUNCTION IF EXISTS update_updated_at_column();
