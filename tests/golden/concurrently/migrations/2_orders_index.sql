-- Big table: build the index without locking writes.
CREATE INDEX CONCURRENTLY orders_customer ON orders (customer);
REFRESH MATERIALIZED VIEW CONCURRENTLY order_counts;
