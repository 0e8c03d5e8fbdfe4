-- migrate:up
CREATE TYPE event_kind AS ENUM ('login', 'logout');
CREATE TABLE events (id serial PRIMARY KEY, kind event_kind NOT NULL);

-- migrate:down
DROP TABLE events;
DROP TYPE event_kind;
