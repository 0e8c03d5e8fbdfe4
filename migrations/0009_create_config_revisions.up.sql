-- Creates config_revisions (audit log, composite FK to configs) and a trigger that records every config write.
-- Source: seed 003 (GoConfig Guardian, 006_create_config_revisions_table).
CREATE TABLE config_revisions (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id          varchar(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    config_key          varchar(255) NOT NULL,
    version             bigint      NOT NULL,
    content             jsonb       NOT NULL,
    created_by_user_id  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT config_revisions_config_fk
        FOREIGN KEY (project_id, config_key)
        REFERENCES configs (project_id, key) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT config_revisions_version_key UNIQUE (project_id, config_key, version)
);

CREATE INDEX idx_config_revisions_content_gin ON config_revisions USING gin (content);
CREATE INDEX idx_config_revisions_created_at ON config_revisions (created_at DESC);

CREATE FUNCTION record_config_revision()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- Only a real change of content or version produces a revision.
    IF TG_OP = 'UPDATE'
       AND NEW.content IS NOT DISTINCT FROM OLD.content
       AND NEW.version = OLD.version THEN
        RETURN NEW;
    END IF;
    INSERT INTO config_revisions (project_id, config_key, version, content, created_by_user_id)
    VALUES (NEW.project_id, NEW.key, NEW.version, NEW.content, NEW.updated_by_user_id);
    RETURN NEW;
END;
$fn$;

CREATE TRIGGER configs_record_revision
    AFTER INSERT OR UPDATE ON configs
    FOR EACH ROW EXECUTE FUNCTION record_config_revision();
