-- Users of the service.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL DEFAULT 'anonymous',
    bio text CHECK (bio <> E'\t')
);

COMMENT ON TABLE users IS 'people who sign in: "café" ??= ok */';
