-- Drops events, its NOTIFY trigger and the trigger function.
DROP TRIGGER IF EXISTS events_notify_insert ON events;
DROP FUNCTION IF EXISTS notify_new_event();
DROP TABLE IF EXISTS events;
