-- Creates update_updated_at_column(), the trigger function every table with an
-- updated_at column uses in a BEFORE UPDATE trigger. Source: seed 001 (api.8004.dev, migration 2).
CREATE FUNCTION update_updated_at_column()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$fn$;

COMMENT ON FUNCTION update_updated_at_column() IS 'BEFORE UPDATE trigger: sets NEW.updated_at to now()';
