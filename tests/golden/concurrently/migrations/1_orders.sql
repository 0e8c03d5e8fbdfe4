BEGIN;
CREATE TABLE orders (id int PRIMARY KEY, customer int, placed_at timestamptz);
CREATE MATERIALIZED VIEW order_counts AS SELECT customer, count(*) FROM orders GROUP BY 1;
CREATE UNIQUE INDEX order_counts_customer ON order_counts (customer);
COMMIT;
