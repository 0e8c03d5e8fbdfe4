-- Creates gateways (relay servers of a project) and config_packs (signed JSONB packs per region).
-- Source: seed 000 (LumenLink, 0001_initial_schema: gateways, config_packs).
CREATE TABLE gateways (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id       varchar(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    ip_address       inet        NOT NULL,
    port             integer     NOT NULL,
    transport_types  text[]      NOT NULL DEFAULT '{}'::text[],
    region           varchar(32) NOT NULL,
    status           varchar(16) NOT NULL DEFAULT 'active',
    capacity         integer     NOT NULL DEFAULT 1000,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    last_seen        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateways_endpoint_key UNIQUE (ip_address, port),
    CONSTRAINT gateways_port_chk CHECK (port BETWEEN 1 AND 65535),
    CONSTRAINT gateways_capacity_chk CHECK (capacity > 0),
    CONSTRAINT gateways_status_chk
        CHECK (status IN ('active', 'inactive', 'maintenance', 'blocked'))
);

CREATE INDEX idx_gateways_project_id ON gateways (project_id);
CREATE INDEX idx_gateways_region ON gateways (region);
CREATE INDEX idx_gateways_status ON gateways (status);
CREATE INDEX idx_gateways_last_seen ON gateways (last_seen DESC NULLS LAST);

CREATE TRIGGER update_gateways_updated_at
    BEFORE UPDATE ON gateways
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE config_packs (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id      varchar(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    region          varchar(32) NOT NULL,
    version         integer     NOT NULL,
    content         jsonb       NOT NULL,
    signature       bytea       NOT NULL,
    signing_key_id  text        NOT NULL,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT config_packs_region_version_key UNIQUE (project_id, region, version),
    CONSTRAINT config_packs_version_chk CHECK (version > 0),
    CONSTRAINT config_packs_has_gateways_chk CHECK (content ? 'gateways')
);

CREATE INDEX idx_config_packs_region ON config_packs (region);
CREATE INDEX idx_config_packs_version ON config_packs (region, version DESC);
