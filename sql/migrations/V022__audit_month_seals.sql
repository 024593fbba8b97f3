-- A closed month of the audit log is sealed: its partition refuses every later change, and its
-- rows are counted once, when the month is sealed. Retention then retires a sealed month two years
-- on without scanning it (measured with heroes-bench's AuditRetireBench: the count of a million
-- rows was nearly all of a retire's time, a DETACH and an ATTACH take milliseconds), and an audit
-- trail whose closed months cannot change, even by a mistaken UPDATE of the owner's, is what an
-- audit trail should be.
--
-- app.seal_audit_months() seals every month of audit_log that ended more than a day ago (a day:
-- no transaction still writes rows stamped with the month's last moments). The upkeep calls it
-- beside app.ensure_audit_partitions: the server's audit-partitions job, and the crontab's line.
-- A seal is two triggers on the month's partition, enabled ALWAYS so that they fire even under
-- session_replication_role = replica, and a row of audit_log_seals. The triggers are made, then the
-- rows counted, in one transaction: creating them locks that old partition alone against writes
-- (SHARE ROW EXCLUSIVE; the current month's audited writes never touch it), so the count is exact
-- and stays exact. Retention counts a month again when its seal's triggers are gone or disabled.

CREATE TABLE audit_log_seals (
    month date PRIMARY KEY CHECK (month = date_trunc('month', month)),
    partition_name text NOT NULL,
    row_count bigint NOT NULL CHECK (row_count >= 0),
    sealed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE audit_log_seals IS 'Closed months of audit_log: their partition refuses changes, and its rows were counted when sealed (app.seal_audit_months)';
ALTER TABLE audit_log_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_seals_read ON audit_log_seals FOR SELECT TO application_role, readonly_role USING (true);
GRANT SELECT ON audit_log_seals TO application_role, readonly_role;

-- What a sealed month's triggers call: every change is refused.
CREATE FUNCTION app.audit_month_sealed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% on %: the audit month is sealed, its rows no longer change', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'Audit rows of a closed month are kept as they were; retention archives and deletes the month whole.';
END
$$;

-- The seal of a month whose triggers are still in place and enabled: its row count, or NULL.
CREATE FUNCTION app.audit_seal_count(part text)
RETURNS bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.row_count FROM public.audit_log_seals s
     WHERE s.partition_name = part
       AND (SELECT count(*) FROM pg_catalog.pg_trigger t
             WHERE t.tgrelid = format('public.%I', part)::regclass AND t.tgenabled = 'A'
               AND t.tgname IN ('audit_log_sealed', 'audit_log_sealed_truncate')) = 2
$$;

-- Seals each partition of audit_log whose month ended more than a day before the database's now()
-- (and before as_of, when an earlier moment is given), oldest first. Returns how many it sealed.
-- Waits at most 2 s for a month's lock and leaves that month to the next call. Safe to run at any
-- time and from several places at once.
CREATE FUNCTION app.seal_audit_months(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    sealable_before constant timestamp := (least(as_of, now()) - interval '1 day') AT TIME ZONE 'UTC';
    previous_timeout constant text := current_setting('lock_timeout');
    closed record;
    counted bigint;
    sealed integer := 0;
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('heroes.audit_log partitions'));
    FOR closed IN SELECT m.partition_name, m.month FROM app.retention_audit_months('public.audit_log') m
                  WHERE m.month + interval '1 month' <= sealable_before
                    AND NOT EXISTS (SELECT 1 FROM public.audit_log_seals s WHERE s.partition_name = m.partition_name)
                  ORDER BY m.month LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '2s', true);
            EXECUTE format('CREATE TRIGGER audit_log_sealed BEFORE INSERT OR UPDATE OR DELETE ON public.%I
                            FOR EACH ROW EXECUTE FUNCTION app.audit_month_sealed()', closed.partition_name);
            EXECUTE format('CREATE TRIGGER audit_log_sealed_truncate BEFORE TRUNCATE ON public.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION app.audit_month_sealed()', closed.partition_name);
            EXECUTE format('ALTER TABLE public.%I ENABLE ALWAYS TRIGGER audit_log_sealed, ENABLE ALWAYS TRIGGER audit_log_sealed_truncate',
                           closed.partition_name);
            PERFORM set_config('lock_timeout', previous_timeout, true);
            EXECUTE format('SELECT count(*) FROM public.%I', closed.partition_name) INTO counted;
            INSERT INTO public.audit_log_seals (month, partition_name, row_count)
            VALUES (closed.month::date, closed.partition_name, counted);
            sealed := sealed + 1;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM set_config('lock_timeout', previous_timeout, true);
            RAISE NOTICE 'audit month % left unsealed: a transaction holds its partition; the next upkeep seals it', closed.month::date;
        END;
    END LOOP;
    RETURN sealed;
END
$$;

REVOKE ALL ON FUNCTION app.audit_month_sealed(), app.audit_seal_count(text), app.seal_audit_months(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.seal_audit_months(timestamptz) TO application_role;

-- Retention's audit step, as in V014, except step 5: a sealed month's rows are not counted again,
-- its seal's count is what moved; the seal's triggers go with the month to the archive, where the
-- owner's retention alone writes, and are dropped there (the archive's own rules hold it).
CREATE OR REPLACE FUNCTION app.retention_audit_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies, batch_size integer,
                                                     may_detach boolean)
RETURNS TABLE (worked boolean, archived bigint, purged bigint, method text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    live_floor constant timestamp := app.retention_month_floor(as_of - policy.live_period);
    total_floor constant timestamp := app.retention_month_floor(as_of - policy.total_period);
    previous_timeout constant text := current_setting('lock_timeout');
    month_start timestamp;
    part text;
    target text;
    bound text;
    moved_count bigint;
    validated boolean;
BEGIN
    -- 1. the default partition's rows of past months
    SELECT date_trunc('month', d.occurred_at AT TIME ZONE 'UTC') INTO month_start
      FROM public.audit_log_default d WHERE d.occurred_at < live_floor AT TIME ZONE 'UTC'
     ORDER BY d.occurred_at LIMIT 1;
    IF FOUND THEN
        PERFORM app.ensure_audit_archive_partition(month_start);
        WITH moved AS (DELETE FROM public.audit_log_default d
                        WHERE d.ctid = ANY (ARRAY(SELECT d2.ctid FROM public.audit_log_default d2
                                                   WHERE d2.occurred_at >= month_start AT TIME ZONE 'UTC'
                                                     AND d2.occurred_at < (month_start + interval '1 month') AT TIME ZONE 'UTC'
                                                   LIMIT batch_size))
                       RETURNING d.*)
        INSERT INTO public.audit_log_archive SELECT * FROM moved;
        GET DIAGNOSTICS moved_count = ROW_COUNT;
        INSERT INTO public.audit_log_archive_moves (month, method, row_count, retention_run_id)
        VALUES (month_start::date, 'rows', moved_count, run_id);
        RETURN QUERY SELECT true, moved_count, 0::bigint, 'rows'::text;
        RETURN;
    END IF;

    -- 2. an archived month past the total period
    SELECT m.partition_name, m.month INTO part, month_start
      FROM app.retention_audit_months('public.audit_log_archive') m
     WHERE m.month + interval '1 month' <= total_floor ORDER BY m.month LIMIT 1;
    IF FOUND THEN
        EXECUTE format('SELECT count(*) FROM public.%I', part) INTO moved_count;
        PERFORM set_config('lock_timeout', '5s', true);
        EXECUTE format('DROP TABLE public.%I', part);
        PERFORM set_config('lock_timeout', previous_timeout, true);
        INSERT INTO public.audit_log_archive_moves (month, method, row_count, retention_run_id)
        VALUES (month_start::date, 'dropped', moved_count, run_id);
        RETURN QUERY SELECT true, 0::bigint, moved_count, 'dropped'::text;
        RETURN;
    END IF;

    -- 3 to 5. a live month past the live period
    SELECT m.partition_name, m.month INTO part, month_start
      FROM app.retention_audit_months('public.audit_log') m
     WHERE m.month + interval '1 month' <= live_floor ORDER BY m.month LIMIT 1;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, 0::bigint, 0::bigint, NULL::text;
        RETURN;
    END IF;
    bound := part || '_bound';
    SELECT c.convalidated INTO validated FROM pg_catalog.pg_constraint c
     WHERE c.conrelid = format('public.%I', part)::regclass AND c.conname = bound;
    IF validated IS NULL THEN
        PERFORM app.retention_alter_briefly(format(
            'ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L) NOT VALID',
            part, bound, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC'));
        RETURN QUERY SELECT true, 0::bigint, 0::bigint, 'constrained'::text;
        RETURN;
    END IF;
    IF NOT validated THEN
        EXECUTE format('ALTER TABLE public.%I VALIDATE CONSTRAINT %I', part, bound);
        RETURN QUERY SELECT true, 0::bigint, 0::bigint, 'validated'::text;
        RETURN;
    END IF;
    IF NOT may_detach THEN
        RETURN QUERY SELECT false, 0::bigint, 0::bigint, 'deferred'::text;
        RETURN;
    END IF;

    moved_count := app.audit_seal_count(part);
    IF moved_count IS NULL THEN
        EXECUTE format('SELECT count(*) FROM public.%I', part) INTO moved_count;
    END IF;
    PERFORM app.retention_alter_briefly(format('ALTER TABLE public.audit_log DETACH PARTITION public.%I', part));
    EXECUTE format('DROP TRIGGER IF EXISTS audit_log_sealed ON public.%I', part);
    EXECUTE format('DROP TRIGGER IF EXISTS audit_log_sealed_truncate ON public.%I', part);
    DELETE FROM public.audit_log_seals s WHERE s.partition_name = part;
    target := format('audit_log_archive_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
    IF to_regclass(format('public.%I', target)) IS NULL THEN
        EXECUTE format('ALTER TABLE public.audit_log_archive ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                       part, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        EXECUTE format('ALTER TABLE public.%I RENAME TO %I', part, target);
        EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', target, bound);
    ELSE
        -- rows of this month already reached the archive from the default partition: join them
        EXECUTE format('INSERT INTO public.audit_log_archive SELECT * FROM public.%I', part);
        EXECUTE format('DROP TABLE public.%I', part);
    END IF;
    INSERT INTO public.audit_log_archive_moves (month, method, row_count, retention_run_id)
    VALUES (month_start::date, 'partition', moved_count, run_id);
    RETURN QUERY SELECT true, moved_count, 0::bigint, 'partition'::text;
END
$$;
