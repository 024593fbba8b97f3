-- Login throttling, in the database so that it holds across every server instance. It reads
-- auth_attempts across tenants before anyone is authenticated, so it is a SECURITY DEFINER
-- function that answers only how long to wait.
--
-- Per typed email (known or not, so throttling reveals nothing): after 5 failures since the last
-- success, each further attempt waits 30 s, doubling per failure up to 15 minutes; and never more
-- than 100 failures an hour. Per client address, across emails: 200 failures in 15 minutes closes
-- it for the rest of those 15 minutes; a school's classes logging in correctly never count.

CREATE FUNCTION app.login_throttle(email_hash bytea, ip_address inet, as_of timestamptz DEFAULT now())
RETURNS TABLE (retry_after_seconds integer, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failures constant text[] := ARRAY['bad_credentials', 'unknown_email', 'account_disabled', 'email_taken'];
    last_success timestamptz;
    streak integer;
    last_failure timestamptz;
    hour_count integer;
    hundredth timestamptz;
    ip_count integer;
    ip_oldest timestamptz;
    wait_until timestamptz := as_of;
    why text := NULL;
BEGIN
    SELECT max(a.attempted_at) INTO last_success
      FROM public.auth_attempts a
     WHERE a.email_hash = login_throttle.email_hash AND a.outcome = 'succeeded'
       AND a.attempted_at > as_of - interval '1 hour' AND a.attempted_at <= as_of;
    SELECT count(*), max(a.attempted_at) INTO streak, last_failure
      FROM public.auth_attempts a
     WHERE a.email_hash = login_throttle.email_hash AND a.outcome = ANY (failures)
       AND a.attempted_at > greatest(coalesce(last_success, '-infinity'), as_of - interval '1 hour') AND a.attempted_at <= as_of;
    IF streak >= 5 AND last_failure + least(interval '15 minutes', interval '30 seconds' * power(2, streak - 5)) > wait_until THEN
        wait_until := last_failure + least(interval '15 minutes', interval '30 seconds' * power(2, streak - 5));
        why := 'email';
    END IF;

    SELECT count(*) INTO hour_count
      FROM public.auth_attempts a
     WHERE a.email_hash = login_throttle.email_hash AND a.outcome = ANY (failures)
       AND a.attempted_at > as_of - interval '1 hour' AND a.attempted_at <= as_of;
    IF hour_count >= 100 THEN
        SELECT a.attempted_at INTO hundredth
          FROM public.auth_attempts a
         WHERE a.email_hash = login_throttle.email_hash AND a.outcome = ANY (failures)
           AND a.attempted_at > as_of - interval '1 hour' AND a.attempted_at <= as_of
         ORDER BY a.attempted_at DESC OFFSET 99 LIMIT 1;
        IF hundredth + interval '1 hour' > wait_until THEN
            wait_until := hundredth + interval '1 hour';
            why := 'email';
        END IF;
    END IF;

    IF ip_address IS NOT NULL THEN
        SELECT count(*), min(a.attempted_at) INTO ip_count, ip_oldest
          FROM public.auth_attempts a
         WHERE a.ip_address = login_throttle.ip_address AND a.outcome = ANY (failures)
           AND a.attempted_at > as_of - interval '15 minutes' AND a.attempted_at <= as_of;
        IF ip_count >= 200 AND ip_oldest + interval '15 minutes' > wait_until THEN
            wait_until := ip_oldest + interval '15 minutes';
            why := 'address';
        END IF;
    END IF;

    IF wait_until > as_of THEN
        RETURN QUERY SELECT ceil(extract(epoch FROM wait_until - as_of))::integer, why;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION app.login_throttle(bytea, inet, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.login_throttle(bytea, inet, timestamptz) TO application_role;
