-- The 12-lesson curriculum: lessons, their content and their fixed feedback questions. Readable by
-- every role; written only by an admin (the curriculum import) or the system.

CREATE TABLE lessons (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_number integer NOT NULL CHECK (lesson_number BETWEEN 1 AND 12),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description text CHECK (length(description) <= 4000),
    objectives jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(objectives) = 'array'),
    duration_minutes integer NOT NULL DEFAULT 45 CHECK (duration_minutes BETWEEN 5 AND 240),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lessons_lesson_number_key UNIQUE (lesson_number)
);
CREATE TRIGGER lessons_touch BEFORE UPDATE ON lessons FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

CREATE TABLE lesson_content (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    content_type text NOT NULL CHECK (content_type IN ('video', 'activity', 'handout', 'discussion_guide', 'assessment')),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    order_index integer NOT NULL CHECK (order_index >= 0),
    file_path text CHECK (length(file_path) <= 500),
    streaming_url text CHECK (length(streaming_url) <= 500),
    mime_type text CHECK (mime_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
    size_bytes bigint CHECK (size_bytes >= 0),
    sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    offline_available boolean NOT NULL DEFAULT true,
    retired_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lesson_content_has_a_source CHECK (file_path IS NOT NULL OR streaming_url IS NOT NULL)
);
-- The guide's two indexes; idx_lesson_content_lesson is redundant beside idx_lesson_content_order
-- (its leading column) and kept because the guide names it.
CREATE INDEX idx_lesson_content_lesson ON lesson_content (lesson_id);
CREATE INDEX idx_lesson_content_order ON lesson_content (lesson_id, order_index);
CREATE TRIGGER lesson_content_touch BEFORE UPDATE ON lesson_content FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

CREATE TABLE lesson_questions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    question_key text NOT NULL CHECK (question_key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    prompt text NOT NULL CHECK (length(btrim(prompt)) BETWEEN 1 AND 500),
    options jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) BETWEEN 2 AND 10),
    order_index integer NOT NULL CHECK (order_index >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lesson_questions_lesson_id_question_key_key UNIQUE (lesson_id, question_key)
);
CREATE TRIGGER lesson_questions_touch BEFORE UPDATE ON lesson_questions FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

DO $rls$
DECLARE
    curriculum_table text;
BEGIN
    FOREACH curriculum_table IN ARRAY ARRAY['lessons', 'lesson_content', 'lesson_questions'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', curriculum_table);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', curriculum_table);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO application_role, readonly_role, analytics_role USING (true)',
                       curriculum_table || '_read', curriculum_table);
        EXECUTE format($p$CREATE POLICY %I ON %I FOR ALL TO application_role
                           USING ((SELECT app.actor_role()) IN ('admin', 'system'))
                           WITH CHECK ((SELECT app.actor_role()) IN ('admin', 'system'))$p$,
                       curriculum_table || '_write', curriculum_table);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO application_role', curriculum_table);
        EXECUTE format('GRANT SELECT ON %I TO readonly_role, analytics_role', curriculum_table);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION app.audit_row()',
                       curriculum_table || '_audit', curriculum_table);
    END LOOP;
END
$rls$;
