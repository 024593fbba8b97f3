-- Classrooms with their join codes, and the anonymous student sessions that join them.

CREATE TABLE classrooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    facilitator_id uuid NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    classroom_code text NOT NULL CHECK (classroom_code ~ '^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$'),
    grade_level integer NOT NULL CHECK (grade_level BETWEEN 4 AND 6),
    max_students integer NOT NULL DEFAULT 30 CHECK (max_students BETWEEN 1 AND 30),
    join_enabled boolean NOT NULL DEFAULT true,
    code_expires_at timestamptz,
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_classrooms_code ON classrooms (classroom_code);
ALTER TABLE classrooms ADD CONSTRAINT idx_classrooms_code UNIQUE USING INDEX idx_classrooms_code;
-- A facilitator's classrooms (and the foreign key); the active ones are what lists and policies read.
CREATE INDEX classrooms_facilitator_id_idx ON classrooms (facilitator_id);
CREATE INDEX classrooms_active_facilitator_id_idx ON classrooms (facilitator_id, created_at) WHERE archived_at IS NULL;
CREATE TRIGGER classrooms_touch BEFORE UPDATE ON classrooms FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

CREATE TABLE student_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    classroom_id uuid NOT NULL REFERENCES classrooms (id) ON DELETE CASCADE,
    session_token_hash bytea NOT NULL CHECK (length(session_token_hash) = 32),
    demographic_data jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz,
    -- No personal data can enter: exactly these two keys, with the values of API.md.
    CONSTRAINT student_sessions_demographics_only CHECK (
        jsonb_typeof(demographic_data) = 'object'
        AND demographic_data ?& ARRAY['age_range', 'grade_level']
        AND demographic_data - 'age_range' - 'grade_level' = '{}'::jsonb
        AND demographic_data ->> 'age_range' IN ('8-9', '10-11', '12-13')
        AND jsonb_typeof(demographic_data -> 'grade_level') = 'number'
        AND (demographic_data ->> 'grade_level') IN ('4', '5', '6')),
    CONSTRAINT student_sessions_expire_after_creation CHECK (expires_at > created_at),
    -- progress and feedback carry the classroom too, and must name the session's own
    CONSTRAINT student_sessions_id_classroom_id_key UNIQUE (id, classroom_id)
);
COMMENT ON TABLE student_sessions IS 'Anonymous: no name, no email, no address; only an age range and a grade';
CREATE UNIQUE INDEX student_sessions_session_token_hash_key ON student_sessions (session_token_hash);
CREATE INDEX student_sessions_classroom_id_idx ON student_sessions (classroom_id);
-- Capacity counts a classroom's live sessions; the expiry job finds those past their end.
CREATE INDEX student_sessions_live_classroom_id_idx ON student_sessions (classroom_id, expires_at) WHERE ended_at IS NULL;
CREATE INDEX student_sessions_live_expires_at_idx ON student_sessions (expires_at) WHERE ended_at IS NULL;

-- Policy helpers, as the owner (so the policies of classrooms and student_sessions can refer to
-- each other's rows without recursing): the actor's classrooms, and a student's own classroom.
CREATE FUNCTION app.facilitator_classroom_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.id FROM public.classrooms c WHERE c.facilitator_id = app.facilitator_id() $$;

CREATE FUNCTION app.student_classroom_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.classroom_id FROM public.student_sessions s
     WHERE s.id = app.student_session_id() AND s.ended_at IS NULL AND s.expires_at > now()
$$;
REVOKE ALL ON FUNCTION app.facilitator_classroom_ids(), app.student_classroom_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.facilitator_classroom_ids(), app.student_classroom_id() TO application_role;

ALTER TABLE classrooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE classrooms FORCE ROW LEVEL SECURITY;
CREATE POLICY classrooms_own ON classrooms TO application_role
    USING (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin');
CREATE POLICY classrooms_student ON classrooms FOR SELECT TO application_role
    USING (id = (SELECT app.student_classroom_id()));
CREATE POLICY classrooms_reporting ON classrooms FOR SELECT TO readonly_role USING (true);

ALTER TABLE student_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE student_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY student_sessions_facilitator ON student_sessions TO application_role
    USING (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin');
-- A student joins as itself (the application sets the new session's id as the actor) and reads
-- or touches only its own row.
CREATE POLICY student_sessions_self_read ON student_sessions FOR SELECT TO application_role
    USING (id = (SELECT app.student_session_id()));
CREATE POLICY student_sessions_self_join ON student_sessions FOR INSERT TO application_role
    WITH CHECK (id = (SELECT app.student_session_id()));
CREATE POLICY student_sessions_self_touch ON student_sessions FOR UPDATE TO application_role
    USING (id = (SELECT app.student_session_id()))
    WITH CHECK (id = (SELECT app.student_session_id()));
CREATE POLICY student_sessions_reporting ON student_sessions FOR SELECT TO readonly_role USING (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON classrooms, student_sessions TO application_role;
GRANT SELECT ON classrooms TO readonly_role;
GRANT SELECT (id, classroom_id, demographic_data, created_at, expires_at, last_seen_at, ended_at) ON student_sessions TO readonly_role;

CREATE TRIGGER classrooms_audit AFTER INSERT OR UPDATE OR DELETE ON classrooms
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
CREATE TRIGGER student_sessions_audit AFTER INSERT OR UPDATE OR DELETE ON student_sessions
    FOR EACH ROW EXECUTE FUNCTION app.audit_row('keys-only');

-- Pre-authentication lookups for students.
CREATE FUNCTION app.find_student_session(token_hash bytea)
RETURNS TABLE (student_session_id uuid, classroom_id uuid, expires_at timestamptz, ended_at timestamptz, last_seen_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.id, s.classroom_id, s.expires_at, s.ended_at, s.last_seen_at
      FROM public.student_sessions s
     WHERE s.session_token_hash = find_student_session.token_hash
$$;

-- Only what joining needs: never the facilitator, never the other students.
CREATE FUNCTION app.find_classroom_by_code(code text)
RETURNS TABLE (classroom_id uuid, name text, grade_level integer, max_students integer, join_enabled boolean,
               code_expires_at timestamptz, archived_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.id, c.name, c.grade_level, c.max_students, c.join_enabled, c.code_expires_at, c.archived_at
      FROM public.classrooms c
     WHERE c.classroom_code = find_classroom_by_code.code
$$;
REVOKE ALL ON FUNCTION app.find_student_session(bytea), app.find_classroom_by_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.find_student_session(bytea), app.find_classroom_by_code(text) TO application_role;

-- The expire-sessions job: ends every session past its end, across tenants, as of a moment.
CREATE FUNCTION app.expire_sessions(as_of timestamptz DEFAULT now())
RETURNS TABLE (kind text, expired bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    facilitator_count bigint;
    student_count bigint;
BEGIN
    UPDATE public.facilitator_sessions
       SET revoked_at = as_of, revoke_reason = 'expired'
     WHERE revoked_at IS NULL AND expires_at <= as_of;
    GET DIAGNOSTICS facilitator_count = ROW_COUNT;
    UPDATE public.student_sessions
       SET ended_at = expires_at
     WHERE ended_at IS NULL AND expires_at <= as_of;
    GET DIAGNOSTICS student_count = ROW_COUNT;
    RETURN QUERY VALUES ('facilitator sessions', facilitator_count), ('student sessions', student_count);
END
$$;
REVOKE ALL ON FUNCTION app.expire_sessions(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.expire_sessions(timestamptz) TO application_role;
