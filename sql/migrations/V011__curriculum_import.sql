-- The curriculum import: a stable key for each content item (so a changed manifest updates rows in
-- place and ids never change), and the imported version, whose revision the servers poll to drop
-- their cached curriculum after an import on any instance.

-- Rows written without a key (by hand, or before this migration) get a unique one.
ALTER TABLE lesson_content ADD COLUMN content_key text NOT NULL DEFAULT ('item-' || replace(gen_random_uuid()::text, '-', ''))
    CHECK (content_key ~ '^[a-z0-9][a-z0-9_-]{0,62}$');
ALTER TABLE lesson_content ADD CONSTRAINT lesson_content_lesson_id_content_key_key UNIQUE (lesson_id, content_key);
-- Media are served by their hash: the server finds a file by it.
CREATE INDEX lesson_content_sha256_idx ON lesson_content (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE curriculum_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    curriculum_version text NOT NULL CHECK (length(curriculum_version) BETWEEN 1 AND 64),
    manifest_sha256 text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
    revision bigint NOT NULL CHECK (revision > 0),
    imported_at timestamptz NOT NULL
);
COMMENT ON TABLE curriculum_state IS 'The imported curriculum: one row; revision grows with every import that changed something';

ALTER TABLE curriculum_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE curriculum_state FORCE ROW LEVEL SECURITY;
CREATE POLICY curriculum_state_read ON curriculum_state FOR SELECT TO application_role, readonly_role, analytics_role USING (true);
CREATE POLICY curriculum_state_write ON curriculum_state FOR ALL TO application_role
    USING ((SELECT app.actor_role()) IN ('admin', 'system'))
    WITH CHECK ((SELECT app.actor_role()) IN ('admin', 'system'));
GRANT SELECT, INSERT, UPDATE ON curriculum_state TO application_role;
GRANT SELECT ON curriculum_state TO readonly_role, analytics_role;
-- Not audited itself: every import's changes are audited on the lesson tables it writes.

-- Which of these content items students' progress refers to (across tenants, for the import: an
-- item removed from the manifest is deleted, or retired when progress refers to it).
CREATE FUNCTION app.lesson_content_in_use(content_ids uuid[])
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT p.lesson_content_id FROM public.student_progress p WHERE p.lesson_content_id = ANY (content_ids)
$$;
REVOKE ALL ON FUNCTION app.lesson_content_in_use(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.lesson_content_in_use(uuid[]) TO application_role;
