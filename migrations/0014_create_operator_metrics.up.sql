-- Creates operator_metrics, time-partitioned: native RANGE partitions by month plus a DEFAULT, and,
-- when timescaledb can be used, the same table as a TimescaleDB hypertable instead (1-day chunks,
-- compression, retention). Source: seed 000 (0002_add_timescale).
--
-- The native layout is plain DDL so that pgmc's schema catalog (and the row struct generated from it)
-- sees the table; the DO block below swaps it for a hypertable with the same columns.
CREATE TABLE operator_metrics (
    time                timestamptz NOT NULL,
    gateway_id          uuid        NOT NULL,
    project_id          varchar(64),
    active_connections  integer     NOT NULL DEFAULT 0,
    bytes_in            bigint      NOT NULL DEFAULT 0,
    bytes_out           bigint      NOT NULL DEFAULT 0,
    latency_p50_ms      real,
    latency_p99_ms      real,
    error_count         integer     NOT NULL DEFAULT 0,
    cpu_percent         real,
    memory_mb           integer,
    CONSTRAINT operator_metrics_pkey PRIMARY KEY (gateway_id, time),
    CONSTRAINT operator_metrics_cpu_chk CHECK (cpu_percent IS NULL OR cpu_percent BETWEEN 0 AND 100),
    CONSTRAINT operator_metrics_counts_chk CHECK (active_connections >= 0 AND error_count >= 0)
) PARTITION BY RANGE (time);

-- Bounds carry an explicit UTC offset so the layout does not depend on the session TimeZone.
CREATE TABLE operator_metrics_2026_09 PARTITION OF operator_metrics
    FOR VALUES FROM ('2026-09-01 00:00:00+00') TO ('2026-10-01 00:00:00+00');
CREATE TABLE operator_metrics_2026_10 PARTITION OF operator_metrics
    FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');
CREATE TABLE operator_metrics_2026_11 PARTITION OF operator_metrics
    FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');
CREATE TABLE operator_metrics_2026_12 PARTITION OF operator_metrics
    FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');
CREATE TABLE operator_metrics_2027_01 PARTITION OF operator_metrics
    FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');
CREATE TABLE operator_metrics_2027_02 PARTITION OF operator_metrics
    FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');
CREATE TABLE operator_metrics_default PARTITION OF operator_metrics DEFAULT;

CREATE INDEX operator_metrics_time_idx ON operator_metrics (time DESC);
CREATE INDEX idx_operator_metrics_project_time ON operator_metrics (project_id, time DESC);
COMMENT ON TABLE operator_metrics IS 'Operator time-series metrics (native range partitions by month)';

-- With TimescaleDB: rebuild the (still empty) table as a hypertable with the same columns and checks.
-- Without it (the usual case here: Debian does not package it) this block does nothing.
DO $migration$
DECLARE
    created_ext boolean := false;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
           AND current_setting('shared_preload_libraries') ~ 'timescaledb' THEN
            -- CREATE EXTENSION timescaledb only works when the library is preloaded.
            EXECUTE 'CREATE EXTENSION IF NOT EXISTS timescaledb';
            created_ext := true;
        ELSE
            RETURN;
        END IF;
    END IF;
    EXECUTE 'CREATE TABLE operator_metrics_ht (LIKE operator_metrics INCLUDING DEFAULTS INCLUDING CONSTRAINTS)';
    EXECUTE 'DROP TABLE operator_metrics';
    EXECUTE 'ALTER TABLE operator_metrics_ht RENAME TO operator_metrics';
    EXECUTE 'ALTER TABLE operator_metrics ADD CONSTRAINT operator_metrics_pkey PRIMARY KEY (gateway_id, time)';
    EXECUTE $sql$SELECT create_hypertable('operator_metrics', 'time',
                                          chunk_time_interval => interval '1 day')$sql$;
    EXECUTE $sql$ALTER TABLE operator_metrics SET (
                     timescaledb.compress,
                     timescaledb.compress_segmentby = 'gateway_id',
                     timescaledb.compress_orderby = 'time DESC')$sql$;
    EXECUTE $sql$SELECT add_compression_policy('operator_metrics', interval '7 days')$sql$;
    EXECUTE $sql$SELECT add_retention_policy('operator_metrics', interval '90 days')$sql$;
    EXECUTE 'CREATE INDEX idx_operator_metrics_project_time ON operator_metrics (project_id, time DESC)';
    EXECUTE format('COMMENT ON TABLE operator_metrics IS %L',
                   'Operator time-series metrics (timescaledb hypertable'
                   || CASE WHEN created_ext THEN '; extension created by this migration' ELSE '' END
                   || ')');
END
$migration$;
