-- migrate:up transaction:false
ALTER TYPE event_kind ADD VALUE 'signup';

-- migrate:down
