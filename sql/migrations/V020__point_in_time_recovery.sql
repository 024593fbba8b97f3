-- Point-in-time recovery in the recovery log, and the guide's initiate_recovery():
--
--   SELECT initiate_recovery('point_in_time', NULL, '2025-06-20 14:30:00'::TIMESTAMP);
--   SELECT initiate_recovery('table_restore', backup_log_id, NULL, ARRAY['student_feedback', 'classroom_sessions']);
--
-- A SQL function cannot restore a cluster: it records a well-formed request (status 'requested')
-- and returns its id; `heroes recover <id>` executes it and records each step. Whether the target
-- lies in the restorable window is checked when it is executed.

ALTER TABLE recovery_log DROP CONSTRAINT recovery_log_kind_check;
ALTER TABLE recovery_log ADD CONSTRAINT recovery_log_kind_check
    CHECK (kind IN ('drill', 'full', 'tables', 'point-in-time', 'tables-to-time'));
ALTER TABLE recovery_log DROP CONSTRAINT recovery_log_status_check;
ALTER TABLE recovery_log ADD CONSTRAINT recovery_log_status_check CHECK (status IN ('requested', 'running', 'succeeded', 'failed'));
ALTER TABLE recovery_log DROP CONSTRAINT recovery_log_finished_when_done;
ALTER TABLE recovery_log ADD CONSTRAINT recovery_log_finished_when_done CHECK ((status IN ('requested', 'running')) = (finished_at IS NULL));
ALTER TABLE recovery_log
    ADD COLUMN target_time timestamptz,
    ADD COLUMN target_zone text,
    ADD COLUMN requested_at timestamptz,
    ADD CONSTRAINT recovery_log_to_time_has_target CHECK (kind NOT IN ('point-in-time', 'tables-to-time') OR target_time IS NOT NULL);
COMMENT ON COLUMN recovery_log.target_time IS 'The moment a point-in-time recovery aims at';
COMMENT ON COLUMN recovery_log.target_zone IS 'The time zone a target given without one was read in (the request''s, or the server''s)';
COMMENT ON COLUMN recovery_log.requested_at IS 'When initiate_recovery() recorded the request (NULL for a recovery started directly)';

-- SELECT initiate_recovery(recovery_type, backup_log_id, target_time, tables, mode, time_zone);
--   point_in_time: the whole cluster as it was at target_time, into a new data directory;
--   table_restore: tables (of the public schema) as they were in backup backup_log_id (a logical
--     backup), or at target_time (a point-in-time recovery of a scratch copy), replacing their rows
--     (mode 'replace') or adding the missing ones ('add-missing');
--   full_restore: logical backup backup_log_id into a new database.
-- target_time without a zone is read in time_zone, or the server's TimeZone; the request records which.
CREATE FUNCTION public.initiate_recovery(recovery_type text, backup_log_id bigint, target_time timestamp,
                                         tables text[] DEFAULT NULL, mode text DEFAULT 'replace', time_zone text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    zone constant text := coalesce(time_zone, current_setting('TimeZone'));
    target timestamptz;
    recovery_kind text;
    backup public.backup_log;
    missing text;
    recovery bigint;
BEGIN
    IF (timestamp '2000-01-01' AT TIME ZONE zone) IS NULL THEN
        RAISE EXCEPTION 'time zone % is unknown', zone USING ERRCODE = 'invalid_parameter_value';
    END IF;
    target := target_time AT TIME ZONE zone;
    IF backup_log_id IS NOT NULL THEN
        SELECT * INTO backup FROM public.backup_log b WHERE b.id = backup_log_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'there is no backup %', backup_log_id USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    IF mode IS NULL OR mode NOT IN ('replace', 'add-missing') THEN
        RAISE EXCEPTION 'mode is replace or add-missing, not %', coalesce(mode, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CASE recovery_type
        WHEN 'point_in_time' THEN
            IF target IS NULL OR tables IS NOT NULL THEN
                RAISE EXCEPTION 'a point_in_time recovery takes a target_time and no tables'
                    USING ERRCODE = 'invalid_parameter_value', HINT = 'SELECT initiate_recovery(''point_in_time'', NULL, ''2025-06-20 14:30:00''::timestamp);';
            END IF;
            recovery_kind := 'point-in-time';
        WHEN 'table_restore' THEN
            IF coalesce(cardinality(tables), 0) = 0 OR (backup_log_id IS NULL) = (target IS NULL) THEN
                RAISE EXCEPTION 'a table_restore takes tables, and either a logical backup_log_id or a target_time'
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT string_agg(t, ', ') INTO missing FROM unnest(tables) t
             WHERE t IS NULL OR t !~ '^[a-z_][a-z0-9_]{0,62}$' OR to_regclass('public.' || t) IS NULL;
            IF missing IS NOT NULL OR array_position(tables, NULL) IS NOT NULL THEN
                RAISE EXCEPTION 'no table public.% here', coalesce(missing, 'NULL') USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF backup_log_id IS NOT NULL AND backup.format = 'pgbackrest' THEN
                RAISE EXCEPTION 'backup % is physical: give a target_time for a table restore from physical backups', backup_log_id
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            recovery_kind := CASE WHEN backup_log_id IS NOT NULL THEN 'tables' ELSE 'tables-to-time' END;
        WHEN 'full_restore' THEN
            IF backup_log_id IS NULL OR backup.format = 'pgbackrest' OR target IS NOT NULL OR tables IS NOT NULL THEN
                RAISE EXCEPTION 'a full_restore takes a logical backup_log_id only' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            recovery_kind := 'full';
        ELSE
            RAISE EXCEPTION 'recovery_type is point_in_time, table_restore or full_restore, not %', coalesce(recovery_type, 'NULL')
                USING ERRCODE = 'invalid_parameter_value';
    END CASE;
    INSERT INTO public.recovery_log (kind, backup_id, target_database, tables, mode, status, target_time, target_zone, requested_at)
    VALUES (recovery_kind, backup_log_id, current_database(), tables, CASE WHEN tables IS NOT NULL THEN mode END, 'requested', target,
            CASE WHEN target IS NOT NULL THEN zone END, now())
    RETURNING id INTO recovery;
    RETURN recovery;
END
$$;

-- A requested recovery begins: held by the calling session as app.recovery_start()'s are (V017).
CREATE FUNCTION app.recovery_take(recovery_id bigint)
RETURNS public.recovery_log
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    taken public.recovery_log;
BEGIN
    PERFORM pg_advisory_xact_lock(48480017, 0);
    UPDATE public.recovery_log r SET status = 'running', started_at = now(), holder_pid = pg_backend_pid()
     WHERE r.id = recovery_id AND r.status = 'requested'
    RETURNING * INTO taken;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'recovery % is not a request waiting to run', recovery_id USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = (SELECT 'it is ' || r.status FROM public.recovery_log r WHERE r.id = recovery_id);
    END IF;
    PERFORM pg_advisory_lock(48480017, recovery_id::integer);
    RETURN taken;
END
$$;

REVOKE ALL ON FUNCTION public.initiate_recovery(text, bigint, timestamp, text[], text, text), app.recovery_take(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.initiate_recovery(text, bigint, timestamp, text[], text, text), app.recovery_take(bigint) TO application_role;
