-- Physical backups (pgBackRest) in the backup catalog: the weekly physical full (Sundays 01:00,
-- beside the logical full) and the daily differential (Monday to Saturday 03:00), each a
-- backup_log row with what `pgbackrest info --output=json` says of it, retention by their own
-- classes over the point-in-time window, and the health report's rows for them.
--
-- Why differential dailies: pgBackRest expires an incremental together with every later one of
-- its chain, so a week of incrementals can only go as one. A differential builds on its full
-- alone: each day expires on its own, and restoring one reads two backups, not up to seven. In
-- 2.45 an incremental copies whole changed files (about 80% of the cluster after 1% random
-- updates), so a differential costs little more.
--
-- The point-in-time window (how far back a recovery can aim) is the daily schedule's keep_for
-- (90 days, the guide's figure): cleanup_old_backups() keeps every physical backup younger than
-- that, and also the newest physical full older than it, from which the window's first moment is
-- reached by replaying WAL.

ALTER TABLE backup_log DROP CONSTRAINT backup_log_kind_check;
ALTER TABLE backup_log ADD CONSTRAINT backup_log_kind_check CHECK (kind IN ('full', 'archive', 'physical-full', 'daily'));
ALTER TABLE backup_log DROP CONSTRAINT backup_log_format_check;
ALTER TABLE backup_log ADD CONSTRAINT backup_log_format_check CHECK (format IN ('custom', 'plain-gzip', 'pgbackrest'));
ALTER TABLE backup_log DROP CONSTRAINT backup_log_retention_class_check;
ALTER TABLE backup_log ADD CONSTRAINT backup_log_retention_class_check
    CHECK (retention_class IN ('full', 'archive', 'physical-full', 'daily', 'manual'));
ALTER TABLE backup_log ADD CONSTRAINT backup_log_physical_is_pgbackrest
    CHECK ((kind IN ('physical-full', 'daily')) = (format = 'pgbackrest'));

ALTER TABLE backup_log
    ADD COLUMN label text UNIQUE CHECK (label ~ '^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?$'),
    ADD COLUMN physical_type text CHECK (physical_type IN ('full', 'diff', 'incr')),
    ADD COLUMN prior_label text CHECK (prior_label ~ '^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?$'),
    ADD COLUMN wal_start text CHECK (wal_start ~ '^[0-9A-F]{24}$'),
    ADD COLUMN wal_stop text CHECK (wal_stop ~ '^[0-9A-F]{24}$'),
    ADD COLUMN lsn_start pg_lsn,
    ADD COLUMN cluster_bytes bigint CHECK (cluster_bytes >= 0),
    ADD COLUMN repository_bytes bigint CHECK (repository_bytes >= 0),
    ADD CONSTRAINT backup_log_physical_says_what CHECK (
        format <> 'pgbackrest' OR status IN ('running', 'failed')
        OR (label IS NOT NULL AND physical_type IS NOT NULL AND wal_start IS NOT NULL AND wal_stop IS NOT NULL
            AND lsn_start IS NOT NULL AND snapshot_lsn IS NOT NULL AND snapshot_at IS NOT NULL));
COMMENT ON COLUMN backup_log.label IS 'A physical backup''s pgBackRest label (pgbackrest restore --set=<label>)';
COMMENT ON COLUMN backup_log.physical_type IS 'A physical backup''s pgBackRest type: full, diff (the dailies) or incr';
COMMENT ON COLUMN backup_log.prior_label IS 'The pgBackRest backup a diff or incr builds on (depends_on is its row)';
COMMENT ON COLUMN backup_log.wal_start IS 'The first WAL segment a physical backup needs';
COMMENT ON COLUMN backup_log.wal_stop IS 'The last WAL segment a physical backup needs to be consistent';
COMMENT ON COLUMN backup_log.lsn_start IS 'Where a physical backup starts in the WAL (snapshot_lsn is where it is consistent)';
COMMENT ON COLUMN backup_log.cluster_bytes IS 'The size of the cluster a physical backup restores';
COMMENT ON COLUMN backup_log.repository_bytes IS 'What a physical backup''s own files take in the repository (compressed)';

ALTER TABLE backup_schedules DROP CONSTRAINT backup_schedules_kind_check;
ALTER TABLE backup_schedules ADD CONSTRAINT backup_schedules_kind_check
    CHECK (kind IN ('full', 'archive', 'physical-full', 'daily', 'cleanup', 'verify'));
ALTER TABLE backup_schedules DROP CONSTRAINT backup_schedules_backups_are_kept;
ALTER TABLE backup_schedules ADD CONSTRAINT backup_schedules_backups_are_kept CHECK ((kind IN ('cleanup', 'verify')) = (keep_for IS NULL));

INSERT INTO backup_schedules (name, kind, cron, time_zone, keep_for, enabled, description) VALUES
    ('weekly-physical-full', 'physical-full', '0 1 * * 0', 'UTC', interval '90 days', true,
     'The weekly physical full backup (pgBackRest), Sundays at 01:00 beside the logical full: the base of the week''s daily'
     || ' backups and of point-in-time recovery; kept for the point-in-time window (the daily schedule''s period), and the'
     || ' newest one older than the window too'),
    ('weekly-physical-verify', 'verify', '0 5 * * 0', 'UTC', NULL, true,
     'pgbackrest verify, Sundays at 05:00: every file of the repository (backups and WAL) against its checksum');
UPDATE backup_schedules
   SET enabled = true,
       description = 'The guide''s daily backup, Monday to Saturday at 03:00, kept 90 days: a physical differential (pgBackRest)'
                     || ' on the week''s physical full, so that each day expires on its own; its period is the point-in-time window'
 WHERE name = 'daily';

-- A physical backup that is whole, as pgBackRest's info shows it: depends_on is the row of the
-- backup it builds on (a diff's full), which cleanup keeps while this one is kept.
CREATE FUNCTION app.physical_backup_succeeded(backup_id bigint, label text, physical_type text, prior_label text,
                                              wal_start text, wal_stop text, lsn_start pg_lsn, lsn_stop pg_lsn,
                                              stopped_at timestamptz, cluster_bytes bigint, repository_bytes bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prior bigint;
BEGIN
    IF prior_label IS NOT NULL THEN
        SELECT b.id INTO prior FROM public.backup_log b WHERE b.label = physical_backup_succeeded.prior_label;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'backup % builds on %, which the catalog does not hold (a backup pgBackRest made outside it)',
                physical_backup_succeeded.label, physical_backup_succeeded.prior_label
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    UPDATE public.backup_log b
       SET status = 'succeeded', finished_at = clock_timestamp(), label = physical_backup_succeeded.label,
           physical_type = physical_backup_succeeded.physical_type, prior_label = physical_backup_succeeded.prior_label,
           depends_on = prior, wal_start = physical_backup_succeeded.wal_start, wal_stop = physical_backup_succeeded.wal_stop,
           lsn_start = physical_backup_succeeded.lsn_start, snapshot_lsn = lsn_stop, snapshot_at = stopped_at,
           cluster_bytes = physical_backup_succeeded.cluster_bytes, repository_bytes = physical_backup_succeeded.repository_bytes
     WHERE b.id = backup_id AND b.status = 'running' AND b.format = 'pgbackrest';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'backup % is not a running physical backup', backup_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- A physical backup pgBackRest holds that the catalog does not (a DBA's own `pgbackrest backup`),
-- recorded when a backup of the catalog builds on it, so that cleanup keeps it while that one is
-- kept: a row of its kind, manual class, started_by saying where it came from.
CREATE FUNCTION app.physical_backup_adopt(label text, physical_type text, prior_label text, wal_start text, wal_stop text,
                                          lsn_start pg_lsn, lsn_stop pg_lsn, started_at timestamptz, stopped_at timestamptz,
                                          cluster_bytes bigint, repository_bytes bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    adopted bigint;
BEGIN
    SELECT b.id INTO adopted FROM public.backup_log b WHERE b.label = physical_backup_adopt.label;
    IF FOUND THEN
        RETURN adopted;
    END IF;
    adopted := app.backup_begin(CASE WHEN physical_type = 'full' THEN 'physical-full' ELSE 'daily' END, 'pgbackrest', NULL);
    UPDATE public.backup_log b
       SET started_at = physical_backup_adopt.started_at,
           expires_at = physical_backup_adopt.started_at + (b.expires_at - b.started_at),
           started_by = 'pgbackrest, outside the catalog'
     WHERE b.id = adopted;
    PERFORM app.physical_backup_succeeded(adopted, label, physical_type, prior_label, wal_start, wal_stop, lsn_start, lsn_stop, stopped_at,
                                          cluster_bytes, repository_bytes);
    UPDATE public.backup_log b SET finished_at = stopped_at WHERE b.id = adopted;
    RETURN adopted;
END
$$;

-- A logical backup begun and held by the calling session (V017); with alone, refused while
-- another held backup of the same family (logical: full and archive; physical: pgBackRest's) runs.
CREATE OR REPLACE FUNCTION app.backup_start(kind text, format text, schedule_name text DEFAULT NULL, alone boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    other bigint;
    backup bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(48480016, 0); -- one start at a time, so that two cannot both find none running
    PERFORM app.backups_reap();
    IF alone THEN
        SELECT b.id INTO other FROM public.backup_log b
         WHERE b.status = 'running' AND (b.format = 'pgbackrest') = (backup_start.format = 'pgbackrest')
           AND b.holder_pid IS NOT NULL ORDER BY b.id LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'backup % is running; start another when it has finished', other
                USING ERRCODE = 'lock_not_available', DETAIL = other::text;
        END IF;
    END IF;
    backup := app.backup_begin(kind, format, schedule_name);
    PERFORM pg_advisory_lock(48480016, backup::integer);
    UPDATE public.backup_log b SET holder_pid = pg_backend_pid() WHERE b.id = backup;
    RETURN backup;
END
$$;

-- The schedules due (V016), every kind now: the physical ones run when physical backups are on.
CREATE OR REPLACE FUNCTION app.backups_due(as_of timestamptz DEFAULT NULL)
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
         WHERE s.enabled
         GROUP BY s.id, s.name, s.kind
    ), claimed AS (
        INSERT INTO public.backup_schedule_runs AS r (schedule_id, last_fire_at)
        SELECT l.id, l.fire FROM latest l
        ON CONFLICT (schedule_id) DO UPDATE SET last_fire_at = EXCLUDED.last_fire_at, started_at = now()
         WHERE r.last_fire_at < EXCLUDED.last_fire_at
        RETURNING r.schedule_id, r.last_fire_at
    )
    SELECT l.name, l.kind, c.last_fire_at FROM claimed c JOIN latest l ON l.id = c.schedule_id
     ORDER BY CASE l.kind WHEN 'cleanup' THEN 2 WHEN 'verify' THEN 1 ELSE 0 END, c.last_fire_at, l.name;
END
$$;

-- SELECT app.point_in_time_window();
-- How far back a point-in-time recovery can aim: the enabled daily schedule's period (90 days),
-- else the physical full's, else none.
CREATE FUNCTION app.point_in_time_window()
RETURNS interval
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.keep_for FROM public.backup_schedules s
     WHERE s.kind IN ('daily', 'physical-full') AND s.enabled
     ORDER BY CASE s.kind WHEN 'daily' THEN 0 ELSE 1 END, s.id LIMIT 1
$$;

-- SELECT * FROM cleanup_old_backups();  (V016, and now physical backups too)
-- Marks expired every backup past its class's period (expires_at) as of as_of, except: one a DBA
-- keeps, the newest full backup whose verification passed, the newest physical full, the newest
-- physical full older than the point-in-time window (the window's first moment is reached from
-- it), and one a kept backup still needs (depends_on, all the way down). A physical backup's files
-- live in pgBackRest's repository: `heroes backup cleanup` expires them there (expire --set).
CREATE OR REPLACE FUNCTION public.cleanup_old_backups(as_of timestamptz DEFAULT NULL)
RETURNS TABLE (backup_id bigint, kind text, retention_class text, started_at timestamptz, expires_at timestamptz,
               files text[], size_bytes bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moment constant timestamptz := coalesce(as_of, now());
    window_start constant timestamptz := moment - coalesce(app.point_in_time_window(), interval '0');
BEGIN
    PERFORM app.require_past(moment);
    RETURN QUERY
    WITH RECURSIVE anchors AS (
        (SELECT b.id FROM public.backup_log b
          WHERE b.kind = 'full' AND b.status = 'succeeded' AND b.verification = 'passed'
          ORDER BY b.started_at DESC, b.id DESC LIMIT 1)
        UNION ALL
        (SELECT b.id FROM public.backup_log b
          WHERE b.kind = 'physical-full' AND b.status = 'succeeded'
          ORDER BY b.started_at DESC, b.id DESC LIMIT 1)
        UNION ALL
        (SELECT b.id FROM public.backup_log b
          WHERE b.kind = 'physical-full' AND b.status = 'succeeded' AND b.snapshot_at <= window_start
          ORDER BY b.snapshot_at DESC, b.id DESC LIMIT 1)
    ), staying AS (
        SELECT b.id, b.depends_on FROM public.backup_log b
         WHERE b.status = 'succeeded'
           AND (b.keep OR b.expires_at IS NULL OR b.expires_at > moment OR b.id IN (SELECT a.id FROM anchors a))
    ), needed AS (
        SELECT s.id, s.depends_on FROM staying s
        UNION
        SELECT b.id, b.depends_on FROM public.backup_log b JOIN needed n ON b.id = n.depends_on
    ), marked AS (
        UPDATE public.backup_log b SET status = 'expired'
         WHERE b.status = 'succeeded' AND b.id NOT IN (SELECT n.id FROM needed n)
        RETURNING b.id, b.kind, b.retention_class, b.started_at, b.expires_at, b.repository_bytes
    )
    SELECT m.id, m.kind, m.retention_class, m.started_at, m.expires_at,
           ARRAY(SELECT f.path FROM public.backup_files f WHERE f.backup_id = m.id ORDER BY f.path),
           (SELECT coalesce(sum(f.size_bytes), 0)::bigint + coalesce(m.repository_bytes, 0) FROM public.backup_files f WHERE f.backup_id = m.id)
      FROM marked m ORDER BY m.started_at, m.id;
END
$$;

-- The health report's rows for the physical kinds come with WAL archiving (V019).

REVOKE ALL ON FUNCTION app.physical_backup_succeeded(bigint, text, text, text, text, text, pg_lsn, pg_lsn, timestamptz, bigint, bigint),
    app.physical_backup_adopt(text, text, text, text, text, pg_lsn, pg_lsn, timestamptz, timestamptz, bigint, bigint),
    app.point_in_time_window() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.physical_backup_succeeded(bigint, text, text, text, text, text, pg_lsn, pg_lsn, timestamptz, bigint, bigint),
    app.physical_backup_adopt(text, text, text, text, text, pg_lsn, pg_lsn, timestamptz, timestamptz, bigint, bigint),
    app.point_in_time_window() TO application_role;
GRANT EXECUTE ON FUNCTION app.point_in_time_window() TO readonly_role, backup_role;
