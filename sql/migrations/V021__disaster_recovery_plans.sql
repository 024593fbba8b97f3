-- The guide's automated DR functions: SELECT execute_disaster_recovery_plan('database_corruption', 'high');
-- returns, and records in disaster_recovery_plans, an ordered plan for a scenario: each step, the
-- backup or WAL range it uses, and an estimated recovery time computed from this installation's
-- own measurements (the rate of its restores and drills in recovery_log, the size of its data and
-- of the WAL to replay), set against the guide's RTOs (full database 4 hours, critical tables 1
-- hour, point in time 2 hours). A plan that cannot meet its RTO says so; one that has no
-- measurement to go on says that too, rather than guess.

CREATE TABLE disaster_recovery_plans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scenario text NOT NULL CHECK (scenario IN ('database_corruption', 'accidental_deletion', 'hardware_failure', 'security_breach',
                                               'region_loss')),
    severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    recovery_method text NOT NULL CHECK (recovery_method IN ('point-in-time', 'tables-to-time', 'physical-full', 'logical-full')),
    rto interval NOT NULL,
    data_bytes bigint NOT NULL CHECK (data_bytes >= 0),
    wal_bytes bigint CHECK (wal_bytes >= 0),
    restore_bytes_per_second numeric CHECK (restore_bytes_per_second > 0),
    measured_from bigint CHECK (measured_from >= 0),
    estimated interval,
    meets_rto boolean,
    steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array')
);
COMMENT ON TABLE disaster_recovery_plans IS 'Each plan execute_disaster_recovery_plan() made: its steps, what they use, and the estimate set against the RTO';
COMMENT ON COLUMN disaster_recovery_plans.restore_bytes_per_second IS 'The restore rate measured on this installation (its restores and drills of the same method in recovery_log)';
COMMENT ON COLUMN disaster_recovery_plans.measured_from IS 'How many restores and drills the rate was measured from';
COMMENT ON COLUMN disaster_recovery_plans.meets_rto IS 'Whether the estimate is within the RTO; NULL when there was no measurement to estimate from';

ALTER TABLE disaster_recovery_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE disaster_recovery_plans FORCE ROW LEVEL SECURITY;
CREATE POLICY disaster_recovery_plans_read ON disaster_recovery_plans FOR SELECT TO application_role, readonly_role USING (true);
GRANT SELECT ON disaster_recovery_plans TO application_role, readonly_role;

-- The restore rate this installation achieved with one method, over its last 20 restores and drills
-- of that method that succeeded: physical (pgBackRest: point-in-time recoveries and physical
-- drills) or logical (pg_restore: full restores and drills of dumps).
CREATE FUNCTION app.measured_restore_rate(physical boolean, OUT bytes_per_second numeric, OUT measured bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT sum(r.restored_bytes) / nullif(sum(extract(epoch FROM r.finished_at - r.started_at)), 0), count(*)
      FROM (SELECT r.restored_bytes, r.started_at, r.finished_at FROM public.recovery_log r
              LEFT JOIN public.backup_log b ON b.id = r.backup_id
             WHERE r.status = 'succeeded' AND r.restored_bytes > 0 AND r.kind IN ('drill', 'full', 'point-in-time', 'tables-to-time')
               AND (r.kind IN ('point-in-time', 'tables-to-time') OR coalesce(b.format = 'pgbackrest', false)) = physical
             ORDER BY r.finished_at DESC LIMIT 20) r
$$;

-- SELECT execute_disaster_recovery_plan('database_corruption', 'high');
-- SELECT * FROM execute_disaster_recovery_plan('accidental_deletion', 'medium');
CREATE FUNCTION public.execute_disaster_recovery_plan(scenario text, severity text DEFAULT 'high')
RETURNS TABLE (plan_id bigint, step integer, action text, uses text, estimated interval, rto interval, meets_rto boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    newest_physical public.backup_log;
    newest_logical public.backup_log;
    method text;
    objective interval;
    data bigint := pg_database_size(current_database());
    wal bigint;
    rate numeric;
    measured bigint;
    estimate interval;
    wal_range text;
    plan_steps jsonb := '[]';
    plan bigint;
BEGIN
    IF scenario IS NULL OR scenario NOT IN ('database_corruption', 'accidental_deletion', 'hardware_failure', 'security_breach', 'region_loss') THEN
        RAISE EXCEPTION 'scenario is database_corruption, accidental_deletion, hardware_failure, security_breach or region_loss, not %',
            coalesce(scenario, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF severity IS NULL OR severity NOT IN ('low', 'medium', 'high', 'critical') THEN
        RAISE EXCEPTION 'severity is low, medium, high or critical, not %', coalesce(severity, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO newest_physical FROM public.backup_log b WHERE b.format = 'pgbackrest' AND b.status = 'succeeded'
     ORDER BY b.snapshot_at DESC NULLS LAST LIMIT 1;
    SELECT * INTO newest_logical FROM public.backup_log b WHERE b.kind IN ('full', 'archive') AND b.status = 'succeeded'
     ORDER BY coalesce(b.verification = 'passed', false) DESC, b.snapshot_at DESC NULLS LAST LIMIT 1;

    -- the method: point-in-time and physical ones when there is a physical backup, else the newest logical full
    method := CASE
        WHEN newest_physical.id IS NULL THEN 'logical-full'
        WHEN scenario = 'accidental_deletion' THEN 'tables-to-time'
        WHEN scenario IN ('database_corruption', 'security_breach') THEN 'point-in-time'
        ELSE 'physical-full' END;
    objective := CASE method WHEN 'tables-to-time' THEN interval '1 hour' WHEN 'point-in-time' THEN interval '2 hours'
                             ELSE interval '4 hours' END;
    IF method <> 'logical-full' THEN
        wal := greatest(pg_wal_lsn_diff(pg_current_wal_lsn(), newest_physical.lsn_start), 0)::bigint;
        wal_range := format('backup %s (%s, %s) and WAL from %s', newest_physical.id, newest_physical.label,
                            newest_physical.snapshot_at, newest_physical.wal_start);
    ELSE
        wal_range := CASE WHEN newest_logical.id IS NULL THEN 'no backup that succeeded: none to restore'
                          ELSE format('backup %s (%s, snapshot %s)', newest_logical.id, newest_logical.kind, newest_logical.snapshot_at) END;
    END IF;
    SELECT r.bytes_per_second, r.measured INTO rate, measured FROM app.measured_restore_rate(method <> 'logical-full') r;
    IF rate IS NOT NULL THEN
        estimate := make_interval(secs => ((data + coalesce(wal, 0)) / rate)::double precision);
    END IF;

    IF severity IN ('high', 'critical') THEN
        plan_steps := plan_steps || jsonb_build_object('action', 'Declare the incident: record it in security_incidents, tell the district''s'
            || ' contact and the on-call DBA; keep the damaged cluster as it is for evidence', 'uses', 'security_incidents');
    END IF;
    plan_steps := plan_steps || CASE scenario
        WHEN 'database_corruption' THEN jsonb_build_array(
            jsonb_build_object('action', 'Find the last moment before the corruption: pg_amcheck on the live database, the server log, audit_log',
                               'uses', 'pg_amcheck, audit_log'),
            jsonb_build_object('action', 'SELECT initiate_recovery(''point_in_time'', NULL, ''<moment>''::timestamp); then ./heroes recover <id>:'
                               || ' the cluster as at that moment on a spare port, checked (rows, pg_amcheck)', 'uses', wal_range),
            jsonb_build_object('action', 'Switch the server to the recovered cluster (HEROES_DATABASE_URL); keep the old one until the DBA drops it',
                               'uses', 'the recovered cluster'))
        WHEN 'accidental_deletion' THEN jsonb_build_array(
            jsonb_build_object('action', 'Find the tables and the moment before the deletion in audit_log (operation DELETE)', 'uses', 'audit_log'),
            jsonb_build_object('action', 'SELECT initiate_recovery(''table_restore'', NULL, ''<moment>''::timestamp, ARRAY[''<table>''], ''add-missing'');'
                               || ' then ./heroes recover <id>: the rows come back in one transaction, nothing else changes',
                               'uses', coalesce(wal_range, 'a logical backup (table_restore with its backup_log id)')))
        WHEN 'security_breach' THEN jsonb_build_array(
            jsonb_build_object('action', 'Cut access: rotate every login''s password (./heroes db create-users) and the JWT keys; revoke sessions',
                               'uses', 'facilitator_sessions, HEROES_JWT_KEYS'),
            jsonb_build_object('action', 'Find what changed and since when: audit_log, security_incidents', 'uses', 'audit_log'),
            jsonb_build_object('action', 'SELECT initiate_recovery(''point_in_time'', NULL, ''<before the breach>''::timestamp); then ./heroes recover <id>',
                               'uses', wal_range),
            jsonb_build_object('action', 'Switch the server to the recovered cluster; keep the breached one for the investigation', 'uses', 'the recovered cluster'))
        WHEN 'hardware_failure' THEN jsonb_build_array(
            jsonb_build_object('action', 'Provision a machine with PostgreSQL 15 and pgBackRest; reach the repository (HEROES_BACKUP_DIR/pgbackrest)',
                               'uses', 'the pgBackRest repository'),
            jsonb_build_object('action', 'pgbackrest restore of the newest backup and all archived WAL; start; ./heroes serve on it',
                               'uses', wal_range))
        ELSE jsonb_build_array(
            jsonb_build_object('action', 'Provision a machine in another region; reach the off-site copy of the repository (a second pgBackRest'
                               || ' repository, or a copy of HEROES_BACKUP_DIR)', 'uses', 'the off-site repository'),
            jsonb_build_object('action', 'Restore the newest backup there and replay the WAL that reached it; ./heroes serve on it',
                               'uses', wal_range))
    END;
    plan_steps := plan_steps || jsonb_build_object('action', CASE WHEN estimate IS NULL
            THEN 'No restore of this method has been measured yet: run ./heroes backup verify (a drill) to measure one before relying on this plan'
            WHEN estimate <= objective THEN format('Expect about %s for %s bytes of data and %s of WAL: within the RTO of %s',
                                                  date_trunc('second', estimate), data, coalesce(wal, 0), objective)
            ELSE format('Expect about %s for %s bytes of data and %s of WAL: this plan CANNOT meet its RTO of %s; restore faster'
                        || ' (physical backups, lz4, parallel restore) or revise the RTO', date_trunc('second', estimate), data,
                        coalesce(wal, 0), objective) END,
        'uses', format('%s restores and drills measured at %s bytes/s', coalesce(measured, 0), coalesce(round(rate), 0)));

    INSERT INTO public.disaster_recovery_plans (scenario, severity, recovery_method, rto, data_bytes, wal_bytes, restore_bytes_per_second,
                                                measured_from, estimated, meets_rto, steps)
    VALUES (execute_disaster_recovery_plan.scenario, execute_disaster_recovery_plan.severity, method, objective, data, wal, rate, measured,
            estimate, estimate <= objective, plan_steps)
    RETURNING id INTO plan;
    RETURN QUERY
    SELECT plan, s.n::integer, s.value ->> 'action', s.value ->> 'uses', estimate, objective, estimate <= objective
      FROM jsonb_array_elements(plan_steps) WITH ORDINALITY AS s(value, n)
     ORDER BY s.n;
END
$$;

REVOKE ALL ON FUNCTION app.measured_restore_rate(boolean), public.execute_disaster_recovery_plan(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.measured_restore_rate(boolean), public.execute_disaster_recovery_plan(text, text) TO application_role;
