-- The teaching record: lessons taught in a classroom, each student's progress and anonymous
-- feedback (no free text from a child), and a facilitator's own notes.

-- Feedback answers are {question_key: option_key}: identifiers only, so no sentence a child typed
-- can be stored. (Whether each option belongs to its question is checked by the application.)
CREATE FUNCTION app.answers_are_options(answers jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*) <= 20
           AND coalesce(bool_and(key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'
                                 AND jsonb_typeof(value) = 'string'
                                 AND (value #>> '{}') ~ '^[a-z0-9][a-z0-9_-]{0,62}$'), true)
      FROM jsonb_each(answers)
$$;

CREATE TABLE classroom_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    classroom_id uuid NOT NULL REFERENCES classrooms (id) ON DELETE CASCADE,
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz,
    notes text CHECK (length(notes) <= 4000),
    CONSTRAINT classroom_sessions_end_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX classroom_sessions_classroom_id_started_at_idx ON classroom_sessions (classroom_id, started_at);
CREATE INDEX classroom_sessions_lesson_id_idx ON classroom_sessions (lesson_id);
-- At most one open session per classroom.
CREATE UNIQUE INDEX classroom_sessions_one_open_per_classroom ON classroom_sessions (classroom_id) WHERE ended_at IS NULL;

CREATE TABLE student_progress (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_session_id uuid NOT NULL,
    classroom_id uuid NOT NULL,
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    lesson_content_id uuid NOT NULL REFERENCES lesson_content (id),
    status text NOT NULL CHECK (status IN ('started', 'completed')),
    started_at timestamptz NOT NULL,
    completed_at timestamptz,
    time_spent_seconds integer CHECK (time_spent_seconds BETWEEN 0 AND 86400),
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (student_session_id, classroom_id) REFERENCES student_sessions (id, classroom_id) ON DELETE CASCADE,
    CONSTRAINT student_progress_completed_when_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    -- unique per student session (the classroom follows from the session); also serves the foreign key
    CONSTRAINT student_progress_idempotency_key_key UNIQUE (student_session_id, classroom_id, idempotency_key)
);
CREATE INDEX student_progress_classroom_id_lesson_id_idx ON student_progress (classroom_id, lesson_id);
CREATE INDEX student_progress_lesson_id_idx ON student_progress (lesson_id);
CREATE INDEX student_progress_lesson_content_id_idx ON student_progress (lesson_content_id);

CREATE TABLE student_feedback (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_session_id uuid NOT NULL,
    classroom_id uuid NOT NULL,
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    classroom_session_id uuid REFERENCES classroom_sessions (id) ON DELETE SET NULL,
    rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
    mood text NOT NULL CHECK (mood IN ('happy', 'calm', 'unsure', 'sad', 'upset')),
    -- {question_key: option}: short keys and option values only, never a child's own words
    answers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object' AND app.answers_are_options(answers)),
    submitted_at timestamptz NOT NULL DEFAULT now(),
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    FOREIGN KEY (student_session_id, classroom_id) REFERENCES student_sessions (id, classroom_id) ON DELETE CASCADE,
    CONSTRAINT student_feedback_idempotency_key_key UNIQUE (student_session_id, classroom_id, idempotency_key)
);
CREATE INDEX idx_student_feedback_lesson ON student_feedback (lesson_id);
CREATE INDEX idx_student_feedback_submitted ON student_feedback (submitted_at);
CREATE INDEX student_feedback_classroom_id_lesson_id_idx ON student_feedback (classroom_id, lesson_id);
CREATE INDEX student_feedback_classroom_session_id_idx ON student_feedback (classroom_session_id);

CREATE TABLE facilitator_feedback (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    facilitator_id uuid NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    classroom_id uuid REFERENCES classrooms (id) ON DELETE SET NULL,
    notes text NOT NULL CHECK (length(btrim(notes)) BETWEEN 1 AND 8000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facilitator_feedback_facilitator_id_lesson_id_idx ON facilitator_feedback (facilitator_id, lesson_id);
CREATE INDEX facilitator_feedback_lesson_id_idx ON facilitator_feedback (lesson_id);
CREATE INDEX facilitator_feedback_classroom_id_idx ON facilitator_feedback (classroom_id);
CREATE TRIGGER facilitator_feedback_touch BEFORE UPDATE ON facilitator_feedback FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

ALTER TABLE classroom_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE classroom_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY classroom_sessions_facilitator ON classroom_sessions TO application_role
    USING (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin');
CREATE POLICY classroom_sessions_student ON classroom_sessions FOR SELECT TO application_role
    USING (classroom_id = (SELECT app.student_classroom_id()));
CREATE POLICY classroom_sessions_reporting ON classroom_sessions FOR SELECT TO readonly_role USING (true);

DO $rls$
DECLARE
    student_table text;
BEGIN
    FOREACH student_table IN ARRAY ARRAY['student_progress', 'student_feedback'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', student_table);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', student_table);
        EXECUTE format($p$CREATE POLICY %I ON %I TO application_role
                           USING (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin')
                           WITH CHECK (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin')$p$,
                       student_table || '_facilitator', student_table);
        -- a student reads, adds and updates only its own rows, in its own classroom; it deletes nothing
        EXECUTE format($p$CREATE POLICY %I ON %I FOR SELECT TO application_role
                           USING (student_session_id = (SELECT app.student_session_id()))$p$,
                       student_table || '_student_read', student_table);
        EXECUTE format($p$CREATE POLICY %I ON %I FOR INSERT TO application_role
                           WITH CHECK (student_session_id = (SELECT app.student_session_id())
                                       AND classroom_id = (SELECT app.student_classroom_id()))$p$,
                       student_table || '_student_add', student_table);
        EXECUTE format($p$CREATE POLICY %I ON %I FOR UPDATE TO application_role
                           USING (student_session_id = (SELECT app.student_session_id()))
                           WITH CHECK (student_session_id = (SELECT app.student_session_id())
                                       AND classroom_id = (SELECT app.student_classroom_id()))$p$,
                       student_table || '_student_update', student_table);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO readonly_role USING (true)', student_table || '_reporting', student_table);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO application_role', student_table);
        EXECUTE format('GRANT SELECT ON %I TO readonly_role', student_table);
    END LOOP;
END
$rls$;

ALTER TABLE facilitator_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE facilitator_feedback FORCE ROW LEVEL SECURITY;
CREATE POLICY facilitator_feedback_own ON facilitator_feedback TO application_role
    USING (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin');
CREATE POLICY facilitator_feedback_reporting ON facilitator_feedback FOR SELECT TO readonly_role USING (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON classroom_sessions, facilitator_feedback TO application_role;
GRANT SELECT ON classroom_sessions, facilitator_feedback TO readonly_role;

CREATE TRIGGER classroom_sessions_audit AFTER INSERT OR UPDATE OR DELETE ON classroom_sessions
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
