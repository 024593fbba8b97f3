-- The schema's base: who is acting (DESIGN.md section 4) and the updated_at trigger.
-- Runs as heroes_owner, in one transaction (Flyway's, or BEGIN/COMMIT in database_schema.sql).

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'Heroes in Waiting: helpers every table, policy and trigger relies on';

GRANT USAGE ON SCHEMA app TO application_role, readonly_role, backup_role, analytics_role;

-- Each reader returns NULL when the setting is absent or '' (what a pooled connection keeps after
-- an earlier transaction set it locally). Call them as (SELECT app.facilitator_id()) in a policy
-- so the planner evaluates them once per statement.
CREATE FUNCTION app.facilitator_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.facilitator_id', true), '')::uuid $$;

CREATE FUNCTION app.student_session_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.student_session_id', true), '')::uuid $$;

CREATE FUNCTION app.actor_role() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.role', true), '') $$;

CREATE FUNCTION app.request_id() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.request_id', true), '') $$;

CREATE FUNCTION app.client_ip() RETURNS inet
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.client_ip', true), '')::inet $$;

-- Sets the whole actor context for the current transaction in one round trip. Values are checked
-- here so that a malformed context fails loudly at the start of a transaction, not in a policy.
CREATE FUNCTION app.set_context(
    facilitator_id uuid,
    student_session_id uuid,
    actor_role text,
    request_id text,
    client_ip inet)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF actor_role IS NULL OR actor_role NOT IN ('facilitator', 'admin', 'student', 'system') THEN
        RAISE EXCEPTION 'app.set_context: role must be facilitator, admin, student or system, not %', coalesce(actor_role, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF actor_role = 'student' AND client_ip IS NOT NULL THEN
        RAISE EXCEPTION 'app.set_context: a student''s IP address is never recorded'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('app.facilitator_id', coalesce(facilitator_id::text, ''), true);
    PERFORM set_config('app.student_session_id', coalesce(student_session_id::text, ''), true);
    PERFORM set_config('app.role', actor_role, true);
    PERFORM set_config('app.request_id', coalesce(request_id, ''), true);
    PERFORM set_config('app.client_ip', coalesce(host(client_ip), ''), true);
END
$$;

-- BEFORE UPDATE trigger for tables with an updated_at column.
CREATE FUNCTION app.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION app.set_context(uuid, uuid, text, text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.set_context(uuid, uuid, text, text, inet) TO application_role;
