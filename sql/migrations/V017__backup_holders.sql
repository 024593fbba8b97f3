-- Who is making each backup and restore, so that one abandoned halfway (the server killed, the
-- machine lost) is recorded as failed instead of running forever, and so that a backup or drill
-- started by hand can wait its turn.
--
-- A backup started with app.backup_start() is held by the session that called it: that session
-- holds the advisory lock (48480016, backup id) until the backup's row is final, and the row
-- records its pid. A restore started with app.recovery_start() likewise holds (48480017, recovery
-- id). app.backups_reap() marks failed every row still running whose holder's lock is gone. Rows
-- begun by app.backup_begin() / app.recovery_begin() (a DBA's own script) have no holder and are
-- never reaped: their script finishes them.

ALTER TABLE backup_log ADD COLUMN holder_pid integer;
COMMENT ON COLUMN backup_log.holder_pid IS 'The backend pid of the session making the backup (it holds the advisory lock (48480016, id) until the row is final); NULL for one begun by a script';
ALTER TABLE recovery_log ADD COLUMN holder_pid integer;
COMMENT ON COLUMN recovery_log.holder_pid IS 'The backend pid of the session running the restore (it holds the advisory lock (48480017, id) until the row is final); NULL for one begun by a script';

-- Whether a session of this database holds the advisory lock (lock_class, id).
CREATE FUNCTION app.held(lock_class integer, id bigint)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                      AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
                      AND l.classid = lock_class::oid AND l.objid = id::integer::oid)
$$;

-- SELECT * FROM app.backups_reap();
-- Marks failed every backup and restore still running whose holding session is gone, and returns
-- them. Each start calls it; the server's backups job calls it every five minutes.
CREATE FUNCTION app.backups_reap()
RETURNS TABLE (what text, id bigint, holder_pid integer, started_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    WITH backups AS (
        UPDATE public.backup_log b
           SET status = 'failed', finished_at = clock_timestamp(),
               error = format('abandoned: the session making it (pid %s) ended before it finished; no file of it counts as a backup'
                              ' (a hidden .*.partial file it left is deleted by the next cleanup)', b.holder_pid)
         WHERE b.status = 'running' AND b.holder_pid IS NOT NULL AND NOT app.held(48480016, b.id)
        RETURNING 'backup'::text, b.id, b.holder_pid, b.started_at
    ), recoveries AS (
        UPDATE public.recovery_log r
           SET status = 'failed', finished_at = clock_timestamp(),
               error = format('abandoned: the session running it (pid %s) ended before it finished;'
                              ' the database %s may be left half restored', r.holder_pid, r.target_database)
         WHERE r.status = 'running' AND r.holder_pid IS NOT NULL AND NOT app.held(48480017, r.id)
        RETURNING 'recovery'::text, r.id, r.holder_pid, r.started_at
    )
    SELECT * FROM backups UNION ALL SELECT * FROM recoveries;
END
$$;

-- A logical backup begun and held by the calling session (see above); with alone, refused
-- (lock_not_available) while another held full or archive backup is running (a script's backup,
-- which has no holder, never blocks: nothing would ever clear it if the script died).
CREATE FUNCTION app.backup_start(kind text, format text, schedule_name text DEFAULT NULL, alone boolean DEFAULT false)
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
         WHERE b.status = 'running' AND b.kind IN ('full', 'archive') AND b.holder_pid IS NOT NULL ORDER BY b.id LIMIT 1;
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

-- A restore begun and held by the calling session; with alone, refused (lock_not_available) while
-- another held restore of the same kind is running (a drill restores a whole database: one at a time).
CREATE FUNCTION app.recovery_start(kind text, backup_id bigint, target_database text, tables text[] DEFAULT NULL,
                                   mode text DEFAULT NULL, alone boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    other bigint;
    recovery bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(48480017, 0);
    PERFORM app.backups_reap();
    IF alone THEN
        SELECT r.id INTO other FROM public.recovery_log r
         WHERE r.status = 'running' AND r.kind = recovery_start.kind AND r.holder_pid IS NOT NULL ORDER BY r.id LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'a % (recovery %) is running; start another when it has finished',
                CASE kind WHEN 'drill' THEN 'verification' ELSE kind || ' restore' END, other
                USING ERRCODE = 'lock_not_available', DETAIL = other::text;
        END IF;
    END IF;
    recovery := app.recovery_begin(kind, backup_id, target_database, tables, mode);
    PERFORM pg_advisory_lock(48480017, recovery::integer);
    UPDATE public.recovery_log r SET holder_pid = pg_backend_pid() WHERE r.id = recovery;
    RETURN recovery;
END
$$;

REVOKE ALL ON FUNCTION app.held(integer, bigint), app.backups_reap(), app.backup_start(text, text, text, boolean),
    app.recovery_start(text, bigint, text, text[], text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.held(integer, bigint), app.backups_reap() TO application_role, backup_role;
-- the backup login makes the dump, so its session is the one that holds the backup
GRANT EXECUTE ON FUNCTION app.backup_start(text, text, text, boolean) TO application_role, backup_role;
GRANT EXECUTE ON FUNCTION app.recovery_start(text, bigint, text, text[], text, boolean) TO application_role;
