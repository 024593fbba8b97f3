-- An audited write never fails for lack of a partition. audit_log gets a DEFAULT partition that
-- takes any row whose month has no partition of its own (the upkeep did not run: a database run
-- by cron alone, a server stopped for months). The upkeep, app.ensure_audit_partitions, empties it
-- into the right months, and /health warns while it holds rows.
--
-- PostgreSQL 15: once the default partition holds rows of a month, CREATE TABLE ... PARTITION OF
-- for that month fails ("updated partition constraint for default partition would be violated")
-- and would lock audit_log ACCESS EXCLUSIVE anyway. So a month is made as a plain table, that
-- month's rows move into it from the default partition, and it is attached (which locks the parent
-- only SHARE UPDATE EXCLUSIVE), in one subtransaction under a short lock_timeout, retried. Note for
-- retention: with a default partition, DETACH ... CONCURRENTLY is not allowed; plain DETACH is.

CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;
COMMENT ON TABLE audit_log_default IS 'Audit rows whose month had no partition yet; app.ensure_audit_partitions() moves them out';

DROP FUNCTION app.ensure_audit_partitions(integer, timestamptz);

-- Creates the monthly partitions from as_of's month through months_ahead months later, and one
-- for every month that has rows in the default partition, moving those rows into it. Returns how
-- many partitions it created. Safe to run at any time and from several places at once.
CREATE FUNCTION app.ensure_audit_partitions(months_ahead integer DEFAULT 3, as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_month timestamp := date_trunc('month', as_of AT TIME ZONE 'UTC');
    wanted timestamp[];
    month_start timestamp;
    created integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 36 THEN
        RAISE EXCEPTION 'months_ahead must be 0 to 36, not %', months_ahead USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('heroes.audit_log partitions'));
    SELECT array_agg(DISTINCT m ORDER BY m) INTO wanted
      FROM (SELECT first_month + make_interval(months => i) AS m FROM generate_series(0, months_ahead) AS i
            UNION
            SELECT DISTINCT date_trunc('month', d.occurred_at AT TIME ZONE 'UTC') FROM public.audit_log_default d) AS months;
    FOREACH month_start IN ARRAY wanted LOOP
        IF app.create_audit_partition(month_start) THEN
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- One month's partition (month_start is a UTC month's first instant as a timestamp): nothing when
-- it exists; otherwise a plain table, the month's rows moved from the default partition, ATTACH.
-- Waits at most 2 s for each lock, and tries 5 times before giving up with lock_not_available.
CREATE FUNCTION app.create_audit_partition(month_start timestamp)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    partition_name text := format('audit_log_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
    low timestamptz := month_start AT TIME ZONE 'UTC';
    high timestamptz := (month_start + interval '1 month') AT TIME ZONE 'UTC';
    previous_timeout text := current_setting('lock_timeout');
BEGIN
    IF month_start <> date_trunc('month', month_start) THEN
        RAISE EXCEPTION 'month_start must be the first instant of a month, not %', month_start
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(format('public.%I', partition_name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    FOR attempt IN 1 .. 5 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '2s', true);
            EXECUTE format('CREATE TABLE public.%I (LIKE public.audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
            -- proves the bound to ATTACH, so it does not scan the new table again
            EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                           partition_name, partition_name || '_bound', low, high);
            EXECUTE format('WITH moved AS (DELETE FROM public.audit_log_default d WHERE d.occurred_at >= %L AND d.occurred_at < %L RETURNING d.*)
                            INSERT INTO public.%I SELECT * FROM moved', low, high, partition_name);
            EXECUTE format('ALTER TABLE public.audit_log ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, low, high);
            EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', partition_name, partition_name || '_bound');
            PERFORM set_config('lock_timeout', previous_timeout, true);
            RETURN true;
        EXCEPTION WHEN lock_not_available THEN
            -- everything of this attempt is rolled back with its subtransaction
            IF attempt = 5 THEN
                PERFORM set_config('lock_timeout', previous_timeout, true);
                RAISE;
            END IF;
            PERFORM pg_sleep(0.2 * attempt);
        END;
    END LOOP;
    RETURN false;
END
$$;

-- What /health and a DBA want to know: rows waiting in the default partition, their oldest time,
-- and the first day of the last month that has a partition of its own.
CREATE FUNCTION app.audit_partition_status()
RETURNS TABLE (default_rows bigint, oldest_default_row timestamptz, last_partitioned_month date)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (SELECT count(*) FROM public.audit_log_default),
           (SELECT min(occurred_at) FROM public.audit_log_default),
           (SELECT max(to_date(substring(c.relname FROM '^audit_log_y([0-9]{4}m[0-9]{2})$'), 'YYYY"m"MM'))
              FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'public.audit_log'::regclass AND c.relname ~ '^audit_log_y[0-9]{4}m[0-9]{2}$')
$$;

REVOKE ALL ON FUNCTION app.ensure_audit_partitions(integer, timestamptz), app.create_audit_partition(timestamp),
    app.audit_partition_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.ensure_audit_partitions(integer, timestamptz), app.audit_partition_status() TO application_role;
