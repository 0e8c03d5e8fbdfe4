-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY counters_n ON counters (n);

-- +goose Down
DROP INDEX CONCURRENTLY counters_n;
