-- The backup catalog (the deployment guide's "Backup & Recovery"): the schedules a DBA reads and
-- edits, one row per backup with its files and checksums, retention by class (grandfather, father,
-- son), and the reports a DBA queries from psql. heroes-retention (package backup) makes the
-- backups with the real tools and records them here; SQL cannot touch files, so
-- cleanup_old_backups() marks what is due and `heroes backup cleanup` deletes the files.

-- ---------------------------------------------------------------------------------------------
-- Cron expressions, as crontab writes them: minute hour day-of-month month day-of-week, each a
-- list of *, n, a-b, with an optional /step; day-of-week 0 or 7 is Sunday.

-- The values one field allows, or an error naming the field.
CREATE FUNCTION app.cron_field(field text, low integer, high integer, what text)
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    part text;
    pieces text[];
    first_value integer;
    last_value integer;
    step integer;
    result integer[] := '{}';
BEGIN
    IF field IS NULL OR field = '' THEN
        RAISE EXCEPTION 'cron %: missing', what USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH part IN ARRAY string_to_array(field, ',') LOOP
        pieces := regexp_match(part, '^(\*|[0-9]{1,2}(?:-[0-9]{1,2})?)(?:/([0-9]{1,2}))?$');
        IF pieces IS NULL THEN
            RAISE EXCEPTION 'cron %: "%" is not *, n, a-b or one of them with /step', what, part
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF pieces[1] = '*' THEN
            first_value := low;
            last_value := high;
        ELSE
            first_value := split_part(pieces[1], '-', 1)::integer;
            last_value := coalesce(nullif(split_part(pieces[1], '-', 2), '')::integer,
                                   CASE WHEN pieces[2] IS NULL THEN first_value ELSE high END);
        END IF;
        step := coalesce(pieces[2]::integer, 1);
        IF first_value < low OR last_value > high OR first_value > last_value OR step < 1 THEN
            RAISE EXCEPTION 'cron %: "%" is outside % to %', what, part, low, high USING ERRCODE = 'invalid_parameter_value';
        END IF;
        result := result || ARRAY(SELECT generate_series(first_value, last_value, step));
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT v FROM unnest(result) v ORDER BY v);
END
$$;

-- true for a valid expression; an error saying what is wrong otherwise (CHECKs use it).
CREATE FUNCTION app.cron_valid(cron text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fields constant text[] := regexp_split_to_array(btrim(cron), '\s+');
BEGIN
    IF cardinality(fields) <> 5 THEN
        RAISE EXCEPTION 'cron "%" must have five fields: minute hour day-of-month month day-of-week', cron
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM app.cron_field(fields[1], 0, 59, 'minute'), app.cron_field(fields[2], 0, 23, 'hour'),
            app.cron_field(fields[3], 1, 31, 'day-of-month'), app.cron_field(fields[4], 1, 12, 'month'),
            app.cron_field(fields[5], 0, 7, 'day-of-week');
    RETURN true;
END
$$;

-- The times in [from_time, to_time) at which a cron expression fires, read in time_zone. As in
-- cron, when both day-of-month and day-of-week are restricted a day matching either fires.
CREATE FUNCTION app.cron_fire_times(cron text, time_zone text, from_time timestamptz, to_time timestamptz)
RETURNS SETOF timestamptz
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fields constant text[] := regexp_split_to_array(btrim(cron), '\s+');
    minutes integer[];
    hours integer[];
    days integer[];
    months integer[];
    weekdays integer[];
BEGIN
    PERFORM app.cron_valid(cron);
    minutes := app.cron_field(fields[1], 0, 59, 'minute');
    hours := app.cron_field(fields[2], 0, 23, 'hour');
    days := app.cron_field(fields[3], 1, 31, 'day-of-month');
    months := app.cron_field(fields[4], 1, 12, 'month');
    weekdays := ARRAY(SELECT DISTINCT w % 7 FROM unnest(app.cron_field(fields[5], 0, 7, 'day-of-week')) w);
    RETURN QUERY
    SELECT f.fire
      FROM generate_series(date_trunc('day', from_time AT TIME ZONE time_zone) - interval '1 day',
                           date_trunc('day', to_time AT TIME ZONE time_zone) + interval '1 day', interval '1 day') AS d(day)
      CROSS JOIN unnest(hours) AS h(hour)
      CROSS JOIN unnest(minutes) AS m(minute)
      CROSS JOIN LATERAL (SELECT (d.day + make_interval(hours => h.hour, mins => m.minute)) AT TIME ZONE time_zone AS fire) f
     WHERE extract(month FROM d.day)::integer = ANY (months)
       AND CASE WHEN fields[3] <> '*' AND fields[5] <> '*'
                THEN extract(day FROM d.day)::integer = ANY (days) OR extract(dow FROM d.day)::integer = ANY (weekdays)
                ELSE extract(day FROM d.day)::integer = ANY (days) AND extract(dow FROM d.day)::integer = ANY (weekdays) END
       AND f.fire >= from_time AND f.fire < to_time
     ORDER BY f.fire;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The catalog.

CREATE TABLE backup_schedules (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,39}$'),
    kind text NOT NULL CHECK (kind IN ('full', 'archive', 'daily', 'cleanup')),
    cron text NOT NULL CHECK (app.cron_valid(cron)),
    time_zone text NOT NULL DEFAULT 'UTC' CHECK ((timestamp '2000-01-01' AT TIME ZONE time_zone) IS NOT NULL),
    keep_for interval CHECK (keep_for > interval '0'),
    enabled boolean NOT NULL DEFAULT true,
    description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- a backup is kept for a time; the cleanup keeps nothing
    CONSTRAINT backup_schedules_backups_are_kept CHECK ((kind = 'cleanup') = (keep_for IS NULL))
);
COMMENT ON TABLE backup_schedules IS 'When each kind of backup is made and how long it is kept; the DBA edits times, zones, periods and enabled';
COMMENT ON COLUMN backup_schedules.cron IS 'crontab''s five fields (minute hour day-of-month month day-of-week), read in time_zone';
COMMENT ON COLUMN backup_schedules.keep_for IS 'How long a backup this schedule made is kept (its retention class)';
CREATE TRIGGER backup_schedules_touch BEFORE UPDATE ON backup_schedules
    FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
SELECT app.audit_table('backup_schedules');

INSERT INTO backup_schedules (name, kind, cron, time_zone, keep_for, enabled, description) VALUES
    ('weekly-full', 'full', '0 1 * * 0', 'UTC', interval '1095 days', true,
     'The guide''s weekly full backup: pg_dump in custom format, Sundays at 01:00, kept 3 years (1,095 days)'),
    ('monthly-archive', 'archive', '0 2 1 * *', 'UTC', interval '6 years', true,
     'The guide''s monthly archive: pg_dump in custom format, the 1st of each month at 02:00, kept 6 years for compliance'),
    ('daily', 'daily', '0 3 * * 1-6', 'UTC', interval '90 days', false,
     'The guide''s daily backup, Monday to Saturday at 03:00, kept 90 days: physical (pgBackRest), enabled with point-in-time recovery'),
    ('weekly-cleanup', 'cleanup', '0 6 * * 0', 'UTC', NULL, true,
     'The guide''s weekly cleanup, Sundays at 06:00: marks backups past their class''s period and deletes their files');

CREATE TABLE backup_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('full', 'archive', 'daily')),
    format text NOT NULL CHECK (format IN ('custom', 'plain-gzip')),
    schedule_id integer REFERENCES backup_schedules (id) ON DELETE SET NULL,
    database_name text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'expired', 'deleted')),
    server_version text,
    system_identifier bigint,
    snapshot_lsn pg_lsn,
    snapshot_at timestamptz,
    key_id text CHECK (key_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    retention_class text NOT NULL CHECK (retention_class IN ('full', 'archive', 'daily', 'manual')),
    expires_at timestamptz,
    keep boolean NOT NULL DEFAULT false,
    depends_on bigint REFERENCES backup_log (id),
    table_rows jsonb CHECK (jsonb_typeof(table_rows) = 'object'),
    verified_at timestamptz,
    verification text CHECK (verification IN ('passed', 'failed')),
    verification_detail text CHECK (length(verification_detail) <= 4000),
    error text CHECK (length(error) <= 4000),
    started_by text NOT NULL DEFAULT session_user,
    CONSTRAINT backup_log_finished_when_done CHECK ((status = 'running') = (finished_at IS NULL)),
    CONSTRAINT backup_log_failure_says_why CHECK (status <> 'failed' OR error IS NOT NULL),
    CONSTRAINT backup_log_verified_together CHECK ((verified_at IS NULL) = (verification IS NULL))
);
COMMENT ON TABLE backup_log IS 'Every backup: what made it, when, its state, files (backup_files), the row count of each table in its snapshot, and its last verification';
COMMENT ON COLUMN backup_log.table_rows IS 'Each table the backup holds, with its row count taken in the dump''s own snapshot';
COMMENT ON COLUMN backup_log.keep IS 'Kept whatever its class says (a DBA sets it; cleanup never marks it)';
COMMENT ON COLUMN backup_log.depends_on IS 'The backup this one needs to restore (a physical incremental''s full); cleanup keeps it while this one is kept';
CREATE INDEX backup_log_started_at_idx ON backup_log (kind, started_at);
CREATE INDEX backup_log_schedule_id_idx ON backup_log (schedule_id);
CREATE INDEX backup_log_depends_on_idx ON backup_log (depends_on);

CREATE TABLE backup_files (
    backup_id bigint NOT NULL REFERENCES backup_log (id) ON DELETE CASCADE,
    path text NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (backup_id, path)
);
COMMENT ON TABLE backup_files IS 'The files of each backup, with their size and SHA-256 (of the bytes on disk, encrypted or not)';

-- Each restore and restore drill: what it restored from and into, its steps, and how long it took
-- (the measured rate feeds the disaster-recovery plans). The point-in-time issue's
-- initiate_recovery() shares it.
CREATE TABLE recovery_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('drill', 'full', 'tables')),
    backup_id bigint REFERENCES backup_log (id) ON DELETE SET NULL,
    target_database text NOT NULL CHECK (length(target_database) BETWEEN 1 AND 63),
    tables text[],
    mode text CHECK (mode IN ('replace', 'add-missing')),
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    steps jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(steps) = 'array'),
    restored_bytes bigint CHECK (restored_bytes >= 0),
    error text CHECK (length(error) <= 4000),
    started_by text NOT NULL DEFAULT session_user,
    CONSTRAINT recovery_log_finished_when_done CHECK ((status = 'running') = (finished_at IS NULL)),
    CONSTRAINT recovery_log_failure_says_why CHECK (status <> 'failed' OR error IS NOT NULL)
);
COMMENT ON TABLE recovery_log IS 'Every restore and restore drill: from which backup into which database, each step with its time, the outcome and how long it took';
CREATE INDEX recovery_log_backup_id_idx ON recovery_log (backup_id);

-- Which fire time of each schedule the server last started (app.backups_due claims them), kept
-- apart from backup_schedules so that a run changes neither its audit trail nor its updated_at.
CREATE TABLE backup_schedule_runs (
    schedule_id integer PRIMARY KEY REFERENCES backup_schedules (id) ON DELETE CASCADE,
    last_fire_at timestamptz NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE backup_schedule_runs IS 'The last fire time of each backup schedule that the server started';

DO $rls$
DECLARE
    catalog text;
BEGIN
    -- what the backups are: nobody's data, readable by the server and reporting, written by the owner's functions
    FOREACH catalog IN ARRAY ARRAY['backup_schedules', 'backup_log', 'backup_files', 'recovery_log', 'backup_schedule_runs'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', catalog);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', catalog);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO application_role, readonly_role, backup_role USING (true)',
                       catalog || '_read', catalog);
        EXECUTE format('GRANT SELECT ON %I TO application_role, readonly_role, backup_role', catalog);
    END LOOP;
END
$rls$;

-- ---------------------------------------------------------------------------------------------
-- Recording a backup (heroes-retention calls these; a DBA's own script may too).

-- Starts a backup's row: its class and expiry come from the schedule that makes it, or, for a
-- manual backup, from the enabled schedule of its kind (none: kept until a DBA deletes it).
CREATE FUNCTION app.backup_begin(kind text, format text, schedule_name text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    schedule public.backup_schedules;
    backup bigint;
BEGIN
    IF schedule_name IS NOT NULL THEN
        SELECT * INTO schedule FROM public.backup_schedules s WHERE s.name = schedule_name;
        IF NOT FOUND OR schedule.kind <> backup_begin.kind THEN
            RAISE EXCEPTION 'no % schedule named %', backup_begin.kind, schedule_name
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = (SELECT 'Schedules: ' || string_agg(s.name || ' (' || s.kind || ')', ', ' ORDER BY s.name) FROM public.backup_schedules s);
        END IF;
    ELSE
        SELECT * INTO schedule FROM public.backup_schedules s WHERE s.kind = backup_begin.kind AND s.enabled ORDER BY s.id LIMIT 1;
    END IF;
    INSERT INTO public.backup_log (kind, format, schedule_id, database_name, retention_class, expires_at,
                                   server_version, system_identifier)
    VALUES (backup_begin.kind, backup_begin.format, CASE WHEN schedule_name IS NOT NULL THEN schedule.id END, current_database(),
            CASE WHEN schedule_name IS NOT NULL THEN backup_begin.kind ELSE 'manual' END,
            now() + schedule.keep_for, current_setting('server_version'),
            (SELECT c.system_identifier FROM pg_catalog.pg_control_system() c))
    RETURNING id INTO backup;
    RETURN backup;
END
$$;

-- A backup that is whole: its files, the snapshot it was taken in, the rows of each table in it.
CREATE FUNCTION app.backup_succeeded(backup_id bigint, files jsonb, table_rows jsonb, snapshot_lsn pg_lsn, snapshot_at timestamptz,
                                     key_id text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.backup_log b
       SET status = 'succeeded', finished_at = clock_timestamp(), table_rows = backup_succeeded.table_rows,
           snapshot_lsn = backup_succeeded.snapshot_lsn, snapshot_at = backup_succeeded.snapshot_at, key_id = backup_succeeded.key_id
     WHERE b.id = backup_id AND b.status = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'backup % is not running', backup_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    INSERT INTO public.backup_files (backup_id, path, size_bytes, sha256)
    SELECT backup_id, f.path, f.size_bytes, f.sha256
      FROM jsonb_to_recordset(files) AS f(path text, size_bytes bigint, sha256 text);
END
$$;

-- A backup that failed: why. It has no files.
CREATE FUNCTION app.backup_failed(backup_id bigint, error text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.backup_log b SET status = 'failed', finished_at = clock_timestamp(), error = left(coalesce(backup_failed.error, 'unknown'), 4000)
     WHERE b.id = backup_id AND b.status = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'backup % is not running', backup_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- A verification's outcome.
CREATE FUNCTION app.backup_verified(backup_id bigint, passed boolean, detail text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.backup_log b
       SET verified_at = clock_timestamp(), verification = CASE WHEN passed THEN 'passed' ELSE 'failed' END,
           verification_detail = left(detail, 4000)
     WHERE b.id = backup_id AND b.status = 'succeeded';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'backup % is not a backup that succeeded', backup_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- The files of an expired backup are gone.
CREATE FUNCTION app.backup_deleted(backup_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.backup_log b SET status = 'deleted' WHERE b.id = backup_id AND b.status = 'expired';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'backup % is not expired', backup_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- A restore or drill starts; its steps are added as they end; it finishes.
CREATE FUNCTION app.recovery_begin(kind text, backup_id bigint, target_database text, tables text[] DEFAULT NULL, mode text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO public.recovery_log (kind, backup_id, target_database, tables, mode)
    VALUES (recovery_begin.kind, recovery_begin.backup_id, recovery_begin.target_database, recovery_begin.tables, recovery_begin.mode)
    RETURNING id
$$;

CREATE FUNCTION app.recovery_step(recovery_id bigint, step text, detail text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.recovery_log r
       SET steps = r.steps || jsonb_build_array(jsonb_build_object('step', step, 'at', clock_timestamp(), 'detail', left(detail, 2000)))
     WHERE r.id = recovery_id AND r.status = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'recovery % is not running', recovery_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

CREATE FUNCTION app.recovery_finished(recovery_id bigint, error text, restored_bytes bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.recovery_log r
       SET status = CASE WHEN recovery_finished.error IS NULL THEN 'succeeded' ELSE 'failed' END, finished_at = clock_timestamp(),
           error = left(recovery_finished.error, 4000), restored_bytes = recovery_finished.restored_bytes
     WHERE r.id = recovery_id AND r.status = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'recovery % is not running', recovery_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- The schedules whose latest fire time in the six hours before as_of (never before the schedule
-- was last changed) has not been started yet, each claimed as it is returned so that no other
-- caller starts it again: the server's backups job runs what this returns. (The daily kind comes
-- with point-in-time recovery.)
CREATE FUNCTION app.backups_due(as_of timestamptz DEFAULT NULL)
RETURNS TABLE (schedule text, kind text, fire_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moment constant timestamptz := coalesce(as_of, now());
BEGIN
    PERFORM app.require_past(moment);
    RETURN QUERY
    WITH latest AS (
        SELECT s.id, s.name, s.kind, max(t.fire) AS fire
          FROM public.backup_schedules s
         CROSS JOIN LATERAL app.cron_fire_times(s.cron, s.time_zone, greatest(moment - interval '6 hours', s.updated_at),
                                                moment + interval '1 microsecond') AS t(fire)
         WHERE s.enabled AND s.kind <> 'daily'
         GROUP BY s.id, s.name, s.kind
    ), claimed AS (
        INSERT INTO public.backup_schedule_runs AS r (schedule_id, last_fire_at)
        SELECT l.id, l.fire FROM latest l
        ON CONFLICT (schedule_id) DO UPDATE SET last_fire_at = EXCLUDED.last_fire_at, started_at = now()
         WHERE r.last_fire_at < EXCLUDED.last_fire_at
        RETURNING r.schedule_id, r.last_fire_at
    )
    SELECT l.name, l.kind, c.last_fire_at FROM claimed c JOIN latest l ON l.id = c.schedule_id
     ORDER BY CASE l.kind WHEN 'cleanup' THEN 1 ELSE 0 END, c.last_fire_at, l.name;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The deployment guide's interface.

-- SELECT * FROM cleanup_old_backups();
-- Marks expired every backup past its class's period (expires_at) as of as_of (default now(),
-- never later), except: one a DBA keeps, the newest full backup whose verification passed, and
-- one a kept backup still needs (depends_on, all the way down). Returns what it marked, with the
-- files `heroes backup cleanup` deletes.
CREATE FUNCTION public.cleanup_old_backups(as_of timestamptz DEFAULT NULL)
RETURNS TABLE (backup_id bigint, kind text, retention_class text, started_at timestamptz, expires_at timestamptz,
               files text[], size_bytes bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moment constant timestamptz := coalesce(as_of, now());
BEGIN
    PERFORM app.require_past(moment);
    RETURN QUERY
    WITH RECURSIVE newest_verified_full AS (
        SELECT b.id FROM public.backup_log b
         WHERE b.kind = 'full' AND b.status = 'succeeded' AND b.verification = 'passed'
         ORDER BY b.started_at DESC, b.id DESC LIMIT 1
    ), staying AS (
        SELECT b.id, b.depends_on FROM public.backup_log b
         WHERE b.status = 'succeeded'
           AND (b.keep OR b.expires_at IS NULL OR b.expires_at > moment OR b.id IN (SELECT n.id FROM newest_verified_full n))
    ), needed AS (
        SELECT s.id, s.depends_on FROM staying s
        UNION
        SELECT b.id, b.depends_on FROM public.backup_log b JOIN needed n ON b.id = n.depends_on
    ), marked AS (
        UPDATE public.backup_log b SET status = 'expired'
         WHERE b.status = 'succeeded' AND b.id NOT IN (SELECT n.id FROM needed n)
        RETURNING b.id, b.kind, b.retention_class, b.started_at, b.expires_at
    )
    SELECT m.id, m.kind, m.retention_class, m.started_at, m.expires_at,
           ARRAY(SELECT f.path FROM public.backup_files f WHERE f.backup_id = m.id ORDER BY f.path),
           (SELECT coalesce(sum(f.size_bytes), 0)::bigint FROM public.backup_files f WHERE f.backup_id = m.id)
      FROM marked m ORDER BY m.started_at, m.id;
END
$$;

-- SELECT * FROM generate_backup_health_report(30);
-- Per kind over the last days days: successes, failures, the last success and its age, the
-- schedule's fire times with no backup started within an hour of them, the size of what is kept,
-- the share of kept backups whose last verification passed, and the newest point a restore can
-- reach (the snapshot of the newest kept backup) with its age (the recovery point objective met).
CREATE FUNCTION public.generate_backup_health_report(days integer DEFAULT 30)
RETURNS TABLE (kind text, successes bigint, failures bigint, last_success_at timestamptz, last_success_age interval,
               missed_schedules bigint, kept_size_bytes bigint, verified_share numeric, newest_restorable_point timestamptz,
               restorable_point_age interval)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    window_start timestamptz;
BEGIN
    IF days IS NULL OR days < 1 OR days > 3660 THEN
        RAISE EXCEPTION 'days must be between 1 and 3660, not %', days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    window_start := now() - make_interval(days => days);
    RETURN QUERY
    SELECT k.kind,
           (SELECT count(*) FROM public.backup_log b WHERE b.kind = k.kind AND b.started_at >= window_start
                                                      AND b.status IN ('succeeded', 'expired', 'deleted')),
           (SELECT count(*) FROM public.backup_log b WHERE b.kind = k.kind AND b.started_at >= window_start AND b.status = 'failed'),
           last_success.finished_at, now() - last_success.finished_at,
           (SELECT count(*) FROM public.backup_schedules s
              CROSS JOIN LATERAL app.cron_fire_times(s.cron, s.time_zone, greatest(window_start, s.updated_at), now() - interval '1 hour') t(fire)
             WHERE s.kind = k.kind AND s.enabled
               AND NOT EXISTS (SELECT 1 FROM public.backup_log b
                                WHERE b.schedule_id = s.id AND b.started_at >= t.fire AND b.started_at < t.fire + interval '1 hour')),
           (SELECT coalesce(sum(f.size_bytes), 0)::bigint FROM public.backup_log b JOIN public.backup_files f ON f.backup_id = b.id
             WHERE b.kind = k.kind AND b.status = 'succeeded'),
           (SELECT round(avg(CASE WHEN b.verification = 'passed' THEN 1.0 ELSE 0.0 END), 3) FROM public.backup_log b
             WHERE b.kind = k.kind AND b.status = 'succeeded'),
           restorable.snapshot_at, now() - restorable.snapshot_at
      FROM (VALUES ('full'), ('archive'), ('daily')) AS k(kind)
      LEFT JOIN LATERAL (SELECT b.finished_at FROM public.backup_log b
                          WHERE b.kind = k.kind AND b.status IN ('succeeded', 'expired', 'deleted')
                          ORDER BY b.finished_at DESC LIMIT 1) last_success ON true
      LEFT JOIN LATERAL (SELECT b.snapshot_at FROM public.backup_log b
                          WHERE b.kind = k.kind AND b.status = 'succeeded' AND coalesce(b.verification, 'passed') = 'passed'
                          ORDER BY b.snapshot_at DESC NULLS LAST LIMIT 1) restorable ON true
     ORDER BY array_position(ARRAY['full', 'archive', 'daily'], k.kind);
END
$$;

-- Each schedule with its next run and its last backup: the guide's "custom monitoring views for
-- backup status".
CREATE VIEW backup_status AS
SELECT s.name AS schedule, s.kind, s.enabled, s.cron, s.time_zone, s.keep_for,
       (SELECT min(t.fire) FROM app.cron_fire_times(s.cron, s.time_zone, now(), now() + interval '32 days') t(fire)) AS next_run_at,
       last.id AS last_backup_id, last.started_at AS last_started_at, last.status AS last_status, last.verification AS last_verification,
       (SELECT count(*) FROM public.backup_log b WHERE b.schedule_id = s.id AND b.status = 'succeeded') AS kept_backups
  FROM public.backup_schedules s
  LEFT JOIN LATERAL (SELECT b.id, b.started_at, b.status, b.verification FROM public.backup_log b
                      WHERE b.schedule_id = s.id ORDER BY b.started_at DESC, b.id DESC LIMIT 1) last ON true;
COMMENT ON VIEW backup_status IS 'Each backup schedule: its next run, its last backup and how many of its backups are kept';

REVOKE ALL ON FUNCTION app.cron_field(text, integer, integer, text), app.cron_valid(text),
    app.cron_fire_times(text, text, timestamptz, timestamptz),
    app.backup_begin(text, text, text), app.backup_succeeded(bigint, jsonb, jsonb, pg_lsn, timestamptz, text),
    app.backup_failed(bigint, text), app.backup_verified(bigint, boolean, text), app.backup_deleted(bigint),
    app.recovery_begin(text, bigint, text, text[], text), app.recovery_step(bigint, text, text), app.recovery_finished(bigint, text, bigint),
    app.backups_due(timestamptz), public.cleanup_old_backups(timestamptz), public.generate_backup_health_report(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.cron_field(text, integer, integer, text), app.cron_valid(text),
    app.cron_fire_times(text, text, timestamptz, timestamptz) TO application_role, readonly_role, backup_role;
GRANT EXECUTE ON FUNCTION app.backup_begin(text, text, text), app.backup_succeeded(bigint, jsonb, jsonb, pg_lsn, timestamptz, text),
    app.backup_failed(bigint, text), app.backup_verified(bigint, boolean, text), app.backup_deleted(bigint),
    app.recovery_begin(text, bigint, text, text[], text), app.recovery_step(bigint, text, text), app.recovery_finished(bigint, text, bigint),
    app.backups_due(timestamptz), public.cleanup_old_backups(timestamptz), public.generate_backup_health_report(integer) TO application_role;
GRANT EXECUTE ON FUNCTION public.generate_backup_health_report(integer) TO readonly_role;
GRANT SELECT ON backup_status TO application_role, readonly_role;
