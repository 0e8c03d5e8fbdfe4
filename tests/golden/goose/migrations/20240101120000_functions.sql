-- +goose Up
CREATE TABLE counters (name text PRIMARY KEY, n bigint NOT NULL DEFAULT 0);

-- +goose StatementBegin
CREATE FUNCTION bump(k text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO counters VALUES (k, 1)
        ON CONFLICT (name) DO UPDATE SET n = counters.n + 1;
    RETURN (SELECT n FROM counters WHERE name = k);
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION bump(text);
DROP TABLE counters;
