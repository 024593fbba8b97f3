-- One clock for what the database decides (README, "Time"): a session's liveness is judged by
-- the database's now(), so the times it is judged on are written from now() too. The functions a
-- request calls to open or use a student session no longer take an as_of from the caller; the
-- jobs keep theirs for a DBA or a test naming a moment, but refuse one later than now(), which
-- would end sessions and forget throttles before their time.

DROP FUNCTION app.join_classroom(text, bytea, jsonb, interval, inet, text, integer, timestamptz);
DROP FUNCTION app.set_student_context(bytea, text, timestamptz);

CREATE FUNCTION app.join_classroom(
    code text,
    token_hash bytea,
    demographics jsonb,
    lifetime interval,
    client_ip inet,
    request_id text,
    failure_limit integer)
RETURNS TABLE (outcome text, student_session_id uuid, classroom_name text, classroom_grade_level integer,
               session_expires_at timestamptz, retry_after_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- Every statement here is a lookup by key. On a young table whose statistics still say "empty"
-- the planner picks sequential scans, and the plans it caches keep them after the table grows.
SET enable_seqscan = off
AS $$
DECLARE
    as_of constant timestamptz := now();
    address bytea := app.join_address_hash(client_ip, as_of);
    wait integer;
    room record;
    seated integer;
    new_id uuid := gen_random_uuid();
BEGIN
    IF address IS NOT NULL THEN
        wait := app.join_retry_after(address, as_of, failure_limit);
        IF wait IS NOT NULL THEN
            RETURN QUERY SELECT 'throttled', NULL::uuid, NULL::text, NULL::integer, NULL::timestamptz, greatest(wait, 1);
            RETURN;
        END IF;
    END IF;
    IF code IS NULL THEN
        PERFORM app.record_join_failure(address, as_of, failure_limit);
        RETURN QUERY SELECT 'malformed', NULL::uuid, NULL::text, NULL::integer, NULL::timestamptz, NULL::integer;
        RETURN;
    END IF;
    -- The lock that makes capacity exact: joins into one classroom queue here, others do not wait.
    SELECT c.id, c.name, c.grade_level, c.max_students, c.join_enabled, c.code_expires_at, c.archived_at INTO room
      FROM public.classrooms c WHERE c.classroom_code = join_classroom.code
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        PERFORM app.record_join_failure(address, as_of, failure_limit);
        RETURN QUERY SELECT 'unknown', NULL::uuid, NULL::text, NULL::integer, NULL::timestamptz, NULL::integer;
        RETURN;
    END IF;
    IF room.archived_at IS NOT NULL OR NOT room.join_enabled OR room.code_expires_at <= as_of THEN
        RETURN QUERY SELECT 'inactive', NULL::uuid, NULL::text, NULL::integer, NULL::timestamptz, NULL::integer;
        RETURN;
    END IF;
    -- Planned at each call (EXECUTE), not cached: a plan cached while the table was empty may
    -- walk the expiry index over every live session of every classroom (1.7 ms a join at 7,000
    -- sessions) instead of this classroom's few entries of the live-sessions index (0.03 ms).
    EXECUTE 'SELECT count(*) FROM public.student_sessions s
              WHERE s.classroom_id = $1 AND s.ended_at IS NULL AND s.expires_at > $2'
       INTO seated USING room.id, as_of;
    IF seated >= room.max_students THEN
        RETURN QUERY SELECT 'full', NULL::uuid, room.name, room.grade_level, NULL::timestamptz, NULL::integer;
        RETURN;
    END IF;
    PERFORM app.set_context(NULL, new_id, 'student', request_id, NULL);
    INSERT INTO public.student_sessions (id, classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at)
    VALUES (new_id, room.id, token_hash, demographics, as_of, as_of + lifetime, as_of);
    RETURN QUERY SELECT 'joined', new_id, room.name, room.grade_level, as_of + lifetime, NULL::integer;
END
$$;

-- A student's request: finds the live session of a token, makes it the actor, and refreshes
-- last_seen_at at most once a minute. Raises 28000 when the token names no live session.
CREATE FUNCTION app.set_student_context(token_hash bytea, request_id text)
RETURNS TABLE (student_session_id uuid, classroom_id uuid, session_expires_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off -- a lookup by token hash, as in join_classroom
AS $$
DECLARE
    as_of constant timestamptz := now();
    live record;
BEGIN
    SELECT s.id, s.classroom_id, s.expires_at, s.last_seen_at INTO live
      FROM public.student_sessions s
     WHERE s.session_token_hash = set_student_context.token_hash AND s.ended_at IS NULL AND s.expires_at > as_of;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the student session has ended or never existed' USING ERRCODE = 'invalid_authorization_specification';
    END IF;
    PERFORM app.set_context(NULL, live.id, 'student', request_id, NULL);
    IF live.last_seen_at < as_of - interval '1 minute' THEN
        UPDATE public.student_sessions s SET last_seen_at = as_of WHERE s.id = live.id;
    END IF;
    RETURN QUERY SELECT live.id, live.classroom_id, live.expires_at;
END
$$;

REVOKE ALL ON FUNCTION app.join_classroom(text, bytea, jsonb, interval, inet, text, integer),
    app.set_student_context(bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.join_classroom(text, bytea, jsonb, interval, inet, text, integer),
    app.set_student_context(bytea, text) TO application_role;

-- A job's moment may lie in the past (catching up, a test with rows dated back), never ahead.
CREATE FUNCTION app.require_past(as_of timestamptz)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NULL OR as_of > now() THEN
        RAISE EXCEPTION 'as_of must not be later than now() (%), not %', now(), as_of
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION app.require_past(timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app.expire_sessions(as_of timestamptz DEFAULT now())
RETURNS TABLE (kind text, expired bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    facilitator_count bigint;
    student_count bigint;
BEGIN
    PERFORM app.require_past(as_of);
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

CREATE OR REPLACE FUNCTION app.purge_join_throttle(as_of timestamptz DEFAULT now())
RETURNS TABLE (kind text, deleted bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failure_count bigint;
    salt_count bigint;
BEGIN
    PERFORM app.require_past(as_of);
    DELETE FROM public.join_failures f WHERE f.window_start < as_of - interval '1 day';
    GET DIAGNOSTICS failure_count = ROW_COUNT;
    DELETE FROM public.join_throttle_salts s WHERE s.day < (as_of AT TIME ZONE 'UTC')::date;
    GET DIAGNOSTICS salt_count = ROW_COUNT;
    RETURN QUERY VALUES ('join failures', failure_count), ('address salts', salt_count);
END
$$;
