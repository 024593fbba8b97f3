-- Students join a classroom with its code, anonymously, in one round trip: app.join_classroom
-- locks the classroom row, so capacity is exact however many join at once, and counts failed
-- guesses per client address so that a run of unknown codes is throttled. The address is never
-- stored: only a salted SHA-256 of it, under a salt of the day that is deleted the next day, after
-- which no stored hash can be linked to an address again. Only these SECURITY DEFINER functions
-- touch the throttle tables; the application role has no grant on them.

CREATE TABLE join_throttle_salts (
    day date PRIMARY KEY,
    salt bytea NOT NULL CHECK (length(salt) = 32)
);

CREATE TABLE join_failures (
    address_hash bytea NOT NULL CHECK (length(address_hash) = 32),
    window_start timestamptz NOT NULL,
    failures integer NOT NULL CHECK (failures > 0),
    incident_written boolean NOT NULL DEFAULT false,
    PRIMARY KEY (address_hash, window_start)
);
CREATE INDEX join_failures_window_start_idx ON join_failures (window_start);
COMMENT ON TABLE join_failures IS 'Failed student joins per salted address hash and 10-minute window; kept one day';

ALTER TABLE join_throttle_salts ENABLE ROW LEVEL SECURITY;
ALTER TABLE join_throttle_salts FORCE ROW LEVEL SECURITY;
ALTER TABLE join_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE join_failures FORCE ROW LEVEL SECURITY;

-- The hash of an address under the salt of as_of's UTC day (made on first use).
CREATE FUNCTION app.join_address_hash(client_ip inet, as_of timestamptz)
RETURNS bytea
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    today date := (as_of AT TIME ZONE 'UTC')::date;
    day_salt bytea;
BEGIN
    IF client_ip IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT s.salt INTO day_salt FROM public.join_throttle_salts s WHERE s.day = today;
    IF day_salt IS NULL THEN
        -- two random UUIDs: 244 random bits, no extension needed
        INSERT INTO public.join_throttle_salts (day, salt)
        VALUES (today, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()))
        ON CONFLICT (day) DO NOTHING;
        SELECT s.salt INTO day_salt FROM public.join_throttle_salts s WHERE s.day = today;
    END IF;
    RETURN sha256(day_salt || convert_to(host(client_ip), 'UTF8'));
END
$$;

-- Counts one failed join for an address; the failure that reaches the limit writes one incident
-- per address and window.
CREATE FUNCTION app.record_join_failure(address_hash bytea, as_of timestamptz, failure_limit integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    window_begins timestamptz := date_bin('10 minutes', as_of, TIMESTAMPTZ '2000-01-01 00:00:00+00');
    counted integer;
    reported boolean;
BEGIN
    IF address_hash IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO public.join_failures AS f (address_hash, window_start, failures)
    VALUES (record_join_failure.address_hash, window_begins, 1)
    ON CONFLICT ON CONSTRAINT join_failures_pkey DO UPDATE SET failures = f.failures + 1
    RETURNING f.failures, f.incident_written INTO counted, reported;
    IF counted >= failure_limit AND NOT reported THEN
        UPDATE public.join_failures f SET incident_written = true
         WHERE f.address_hash = record_join_failure.address_hash AND f.window_start = window_begins;
        INSERT INTO public.security_incidents (incident_type, severity, description, details)
        VALUES ('join_code_guessing', 'medium',
                counted || ' failed classroom joins from one address within 10 minutes; further joins from it wait until the window ends',
                jsonb_build_object('address_hash_prefix', encode(substring(record_join_failure.address_hash FROM 1 FOR 8), 'hex'),
                                   'window_start', window_begins, 'failures', counted));
    END IF;
END
$$;

-- How long an address must wait before trying to join again (NULL: it may try now).
CREATE FUNCTION app.join_retry_after(address_hash bytea, as_of timestamptz, failure_limit integer)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ceil(extract(epoch FROM f.window_start + interval '10 minutes' - as_of))::integer
      FROM public.join_failures f
     WHERE f.address_hash = join_retry_after.address_hash
       AND f.window_start = date_bin('10 minutes', as_of, TIMESTAMPTZ '2000-01-01 00:00:00+00')
       AND f.failures >= failure_limit
$$;

-- A student's join, whole. code is the canonical 8 characters, or NULL for input that could not
-- be one (it counts as a failed guess). outcome: joined, throttled, malformed, unknown, inactive,
-- full. The new session's id becomes the actor, so the audit trail names it and never an address.
CREATE FUNCTION app.join_classroom(
    code text,
    token_hash bytea,
    demographics jsonb,
    lifetime interval,
    client_ip inet,
    request_id text,
    failure_limit integer,
    as_of timestamptz DEFAULT now())
RETURNS TABLE (outcome text, student_session_id uuid, classroom_name text, classroom_grade_level integer,
               session_expires_at timestamptz, retry_after_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- Every statement here is a lookup by key. On a young table whose statistics still say "empty"
-- the planner picks sequential scans, and the plans it caches keep them after the table grows.
SET enable_seqscan = off
AS $$
DECLARE
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
CREATE FUNCTION app.set_student_context(token_hash bytea, request_id text, as_of timestamptz DEFAULT now())
RETURNS TABLE (student_session_id uuid, classroom_id uuid, session_expires_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off -- a lookup by token hash, as in join_classroom
AS $$
DECLARE
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

-- The purge-join-throttle job: failures older than a day, and every salt but today's.
CREATE FUNCTION app.purge_join_throttle(as_of timestamptz DEFAULT now())
RETURNS TABLE (kind text, deleted bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failure_count bigint;
    salt_count bigint;
BEGIN
    DELETE FROM public.join_failures f WHERE f.window_start < as_of - interval '1 day';
    GET DIAGNOSTICS failure_count = ROW_COUNT;
    DELETE FROM public.join_throttle_salts s WHERE s.day < (as_of AT TIME ZONE 'UTC')::date;
    GET DIAGNOSTICS salt_count = ROW_COUNT;
    RETURN QUERY VALUES ('join failures', failure_count), ('address salts', salt_count);
END
$$;

REVOKE ALL ON FUNCTION app.join_address_hash(inet, timestamptz), app.record_join_failure(bytea, timestamptz, integer),
    app.join_retry_after(bytea, timestamptz, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app.join_classroom(text, bytea, jsonb, interval, inet, text, integer, timestamptz),
    app.set_student_context(bytea, text, timestamptz), app.purge_join_throttle(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.join_classroom(text, bytea, jsonb, interval, inet, text, integer, timestamptz),
    app.set_student_context(bytea, text, timestamptz), app.purge_join_throttle(timestamptz) TO application_role;
