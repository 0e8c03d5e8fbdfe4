-- The table bench/case_decode.sh fetches: 8 columns of mixed types.
CREATE TABLE items (
    id         bigint PRIMARY KEY,
    qty        integer NOT NULL,
    price      double precision NOT NULL,
    active     boolean NOT NULL,
    name       text NOT NULL,
    note       text,
    created_at timestamptz NOT NULL,
    token      uuid NOT NULL
);
