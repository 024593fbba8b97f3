-- Continuous archiving measured, not promised: samples of the cluster's WAL archiving (pgBackRest's
-- archive-push, or any archive_command), the recovery point they imply, and the health report's
-- columns for it.
--
-- SELECT * FROM app.wal_archive_sample();   -- as heroes_backup (pg_monitor) or a superuser
-- takes a sample from pg_stat_archiver and pg_wal/archive_status and records it; the server's
-- wal-archiving job does so every minute. The age of the oldest WAL segment not yet archived is
-- the data a lost machine would take with it beyond the open segment (which archive_timeout closes
-- within its period, so that an idle night never looks like a failure).

CREATE TABLE wal_archive_samples (
    sampled_at timestamptz PRIMARY KEY,
    archive_mode text NOT NULL,
    archive_timeout_seconds integer NOT NULL CHECK (archive_timeout_seconds >= 0),
    archived_count bigint NOT NULL CHECK (archived_count >= 0),
    failed_count bigint NOT NULL CHECK (failed_count >= 0),
    last_archived_wal text,
    last_archived_at timestamptz,
    last_failed_wal text,
    last_failed_at timestamptz,
    pending_segments integer NOT NULL CHECK (pending_segments >= 0),
    oldest_pending_at timestamptz,
    -- pg_stat_archiver's own reading: a failure newer than the last success is a failure now
    failing boolean GENERATED ALWAYS AS (last_failed_at IS NOT NULL AND (last_archived_at IS NULL OR last_failed_at > last_archived_at)) STORED,
    CONSTRAINT wal_archive_samples_pending_has_oldest CHECK ((pending_segments = 0) = (oldest_pending_at IS NULL))
);
COMMENT ON TABLE wal_archive_samples IS 'Samples of WAL archiving (pg_stat_archiver, pg_wal/archive_status), one a minute, kept 35 days';
COMMENT ON COLUMN wal_archive_samples.pending_segments IS 'WAL segments closed but not archived yet (.ready in pg_wal/archive_status)';
COMMENT ON COLUMN wal_archive_samples.oldest_pending_at IS 'When the oldest segment not yet archived was closed: its age is the recovery point at risk';
COMMENT ON COLUMN wal_archive_samples.failing IS 'The last archive attempt failed (a failure newer than the last success)';

ALTER TABLE wal_archive_samples ENABLE ROW LEVEL SECURITY;
ALTER TABLE wal_archive_samples FORCE ROW LEVEL SECURITY;
CREATE POLICY wal_archive_samples_read ON wal_archive_samples FOR SELECT TO application_role, readonly_role, backup_role USING (true);
GRANT SELECT ON wal_archive_samples TO application_role, readonly_role, backup_role;

-- Records one sample and forgets those older than 35 days (the table stays small).
CREATE FUNCTION app.wal_archive_record(archive_mode text, archive_timeout_seconds integer, archived_count bigint, failed_count bigint,
                                       last_archived_wal text, last_archived_at timestamptz, last_failed_wal text,
                                       last_failed_at timestamptz, pending_segments integer, oldest_pending_at timestamptz)
RETURNS public.wal_archive_samples
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sample public.wal_archive_samples;
BEGIN
    DELETE FROM public.wal_archive_samples s WHERE s.sampled_at < now() - interval '35 days';
    INSERT INTO public.wal_archive_samples AS s (sampled_at, archive_mode, archive_timeout_seconds, archived_count, failed_count,
                                                 last_archived_wal, last_archived_at, last_failed_wal, last_failed_at,
                                                 pending_segments, oldest_pending_at)
    VALUES (clock_timestamp(), archive_mode, archive_timeout_seconds, archived_count, failed_count, last_archived_wal,
            last_archived_at, last_failed_wal, last_failed_at, pending_segments, oldest_pending_at)
    RETURNING * INTO sample;
    RETURN sample;
END
$$;

-- Samples the cluster's archiving now and records it. Run by a login that may list
-- pg_wal/archive_status (pg_monitor: heroes_backup, or a superuser).
CREATE FUNCTION app.wal_archive_sample()
RETURNS SETOF public.wal_archive_samples
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    -- LATERAL: (f(...)).* would call the recording function once per column
    SELECT r.*
      FROM pg_catalog.pg_stat_archiver a,
           (SELECT count(*) AS pending, min(d.modification) AS oldest
              FROM pg_catalog.pg_ls_archive_statusdir() d WHERE d.name LIKE '%.ready') p,
           LATERAL app.wal_archive_record(current_setting('archive_mode'),
                                          extract(epoch FROM current_setting('archive_timeout')::interval)::integer,
                                          a.archived_count, a.failed_count, a.last_archived_wal, a.last_archived_time,
                                          a.last_failed_wal, a.last_failed_time, p.pending::integer, p.oldest) r
$$;

-- The archiving as of the newest sample: whether it is on, failing, and how old the oldest WAL not
-- yet archived was (with the sample's own age, so that a sampler that stopped is seen).
CREATE VIEW wal_archiving_status AS
SELECT s.sampled_at, now() - s.sampled_at AS sample_age, s.archive_mode, s.archive_timeout_seconds, s.failing,
       s.failed_count, s.last_failed_wal, s.last_failed_at, s.archived_count, s.last_archived_wal, s.last_archived_at,
       s.pending_segments, coalesce(s.sampled_at - s.oldest_pending_at, interval '0') AS oldest_unarchived_age
  FROM (SELECT * FROM public.wal_archive_samples ORDER BY sampled_at DESC LIMIT 1) s;
COMMENT ON VIEW wal_archiving_status IS 'WAL archiving as of the newest sample: failing or not, and the age of the oldest WAL not yet archived';

-- SELECT * FROM generate_backup_health_report(30);  (V016; now with the physical kinds of V018 and WAL archiving)
-- Per kind, as V016's, with physical-full and daily rows: their kept size is what they take in the
-- repository, and oldest_unarchived_wal_age and wal_archiving say what point-in-time recovery can
-- reach: the newest restorable point is the newest WAL archived.
DROP FUNCTION public.generate_backup_health_report(integer);
CREATE FUNCTION public.generate_backup_health_report(days integer DEFAULT 30)
RETURNS TABLE (kind text, successes bigint, failures bigint, last_success_at timestamptz, last_success_age interval,
               missed_schedules bigint, kept_size_bytes bigint, verified_share numeric, newest_restorable_point timestamptz,
               restorable_point_age interval, oldest_unarchived_wal_age interval, wal_archiving text)
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
           (SELECT coalesce(sum(coalesce(b.repository_bytes, 0)
                                + (SELECT coalesce(sum(f.size_bytes), 0) FROM public.backup_files f WHERE f.backup_id = b.id)), 0)::bigint
              FROM public.backup_log b WHERE b.kind = k.kind AND b.status = 'succeeded'),
           (SELECT round(avg(CASE WHEN b.verification = 'passed' THEN 1.0 ELSE 0.0 END), 3) FROM public.backup_log b
             WHERE b.kind = k.kind AND b.status = 'succeeded'),
           restorable.point, now() - restorable.point,
           CASE WHEN k.physical THEN archiving.oldest_unarchived_age END,
           CASE WHEN NOT k.physical THEN NULL
                WHEN archiving.sampled_at IS NULL THEN 'not sampled (the wal-archiving job, or SELECT * FROM app.wal_archive_sample())'
                WHEN archiving.archive_mode = 'off' THEN 'off (archive_mode)'
                WHEN archiving.failing THEN format('failing since %s (%s failures, last segment %s)',
                                                   archiving.last_failed_at, archiving.failed_count, archiving.last_failed_wal)
                ELSE format('archiving (%s pending, sampled %s ago)', archiving.pending_segments, date_trunc('second', archiving.sample_age)) END
      FROM (VALUES ('full', false), ('archive', false), ('physical-full', true), ('daily', true)) AS k(kind, physical)
      LEFT JOIN public.wal_archiving_status archiving ON true
      LEFT JOIN LATERAL (SELECT b.finished_at FROM public.backup_log b
                          WHERE b.kind = k.kind AND b.status IN ('succeeded', 'expired', 'deleted')
                          ORDER BY b.finished_at DESC LIMIT 1) last_success ON true
      LEFT JOIN LATERAL (SELECT CASE WHEN k.physical AND b.snapshot_at IS NOT NULL
                                     THEN greatest(b.snapshot_at, archiving.last_archived_at) ELSE b.snapshot_at END AS point
                           FROM public.backup_log b
                          WHERE b.kind = k.kind AND b.status = 'succeeded' AND coalesce(b.verification, 'passed') = 'passed'
                          ORDER BY b.snapshot_at DESC NULLS LAST LIMIT 1) restorable ON true
     ORDER BY array_position(ARRAY['full', 'archive', 'physical-full', 'daily'], k.kind);
END
$$;

REVOKE ALL ON FUNCTION app.wal_archive_record(text, integer, bigint, bigint, text, timestamptz, text, timestamptz, integer, timestamptz),
    app.wal_archive_sample(), public.generate_backup_health_report(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.wal_archive_record(text, integer, bigint, bigint, text, timestamptz, text, timestamptz, integer, timestamptz),
    app.wal_archive_sample() TO backup_role;
GRANT EXECUTE ON FUNCTION public.generate_backup_health_report(integer) TO application_role, readonly_role;
GRANT SELECT ON wal_archiving_status TO application_role, readonly_role, backup_role;
