-- Creates operator_metrics, time-partitioned: a TimescaleDB hypertable (1-day chunks, compression, retention)
-- when timescaledb can be used, else native RANGE partitions by month plus a DEFAULT. Source: seed 000 (0002_add_timescale).
DO $migration$
DECLARE
    use_timescale boolean := false;
    created_ext   boolean := false;
    month_start   date;
    columns       constant text := $cols$(
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
    )$cols$;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        use_timescale := true;
    ELSIF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
          AND current_setting('shared_preload_libraries') ~ 'timescaledb' THEN
        -- CREATE EXTENSION timescaledb only works when the library is preloaded.
        EXECUTE 'CREATE EXTENSION IF NOT EXISTS timescaledb';
        use_timescale := true;
        created_ext := true;
    END IF;

    IF use_timescale THEN
        EXECUTE 'CREATE TABLE operator_metrics ' || columns;
        EXECUTE $sql$SELECT create_hypertable('operator_metrics', 'time',
                                              chunk_time_interval => interval '1 day')$sql$;
        EXECUTE $sql$ALTER TABLE operator_metrics SET (
                         timescaledb.compress,
                         timescaledb.compress_segmentby = 'gateway_id',
                         timescaledb.compress_orderby = 'time DESC')$sql$;
        EXECUTE $sql$SELECT add_compression_policy('operator_metrics', interval '7 days')$sql$;
        EXECUTE $sql$SELECT add_retention_policy('operator_metrics', interval '90 days')$sql$;
        EXECUTE format('COMMENT ON TABLE operator_metrics IS %L',
                       'Operator time-series metrics (timescaledb hypertable'
                       || CASE WHEN created_ext THEN '; extension created by this migration' ELSE '' END
                       || ')');
    ELSE
        EXECUTE 'CREATE TABLE operator_metrics ' || columns || ' PARTITION BY RANGE (time)';
        -- Bounds are written with an explicit UTC offset so the layout does not
        -- depend on the session TimeZone.
        FOR month_start IN
            SELECT d::date
            FROM generate_series(date '2026-09-01', date '2027-02-01', interval '1 month') AS g(d)
        LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF operator_metrics FOR VALUES FROM (%L) TO (%L)',
                           'operator_metrics_' || to_char(month_start, 'YYYY_MM'),
                           to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char((month_start + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
        END LOOP;
        EXECUTE 'CREATE TABLE operator_metrics_default PARTITION OF operator_metrics DEFAULT';
        EXECUTE 'CREATE INDEX operator_metrics_time_idx ON operator_metrics (time DESC)';
        EXECUTE format('COMMENT ON TABLE operator_metrics IS %L',
                       'Operator time-series metrics (native range partitions by month)');
    END IF;

    EXECUTE 'CREATE INDEX idx_operator_metrics_project_time ON operator_metrics (project_id, time DESC)';
END
$migration$;
