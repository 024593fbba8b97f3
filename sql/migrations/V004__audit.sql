-- The audit trail: one generic trigger records every change to a sensitive table in audit_log,
-- partitioned by month (UTC). Security incidents: what needs a human.

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    table_name text NOT NULL,
    operation text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    row_key jsonb NOT NULL,
    changed_columns text[] NOT NULL,
    old_values jsonb,
    new_values jsonb,
    actor_role text NOT NULL,
    facilitator_id uuid,
    student_session_id uuid,
    database_role text NOT NULL,
    transaction_id bigint NOT NULL,
    request_id text,
    client_ip inet,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
COMMENT ON TABLE audit_log IS 'Every change to sensitive tables; secrets redacted, a child''s data never beyond keys';
-- "What changed in this table in this period" and "what did this facilitator do" (privacy export).
CREATE INDEX audit_log_table_name_occurred_at_idx ON audit_log (table_name, occurred_at);
CREATE INDEX audit_log_facilitator_id_occurred_at_idx ON audit_log (facilitator_id, occurred_at) WHERE facilitator_id IS NOT NULL;

-- Creates the monthly partitions from as_of's month through months_ahead months later; returns
-- how many it created. The audit-partitions job calls it monthly, so writes always find theirs.
CREATE FUNCTION app.ensure_audit_partitions(months_ahead integer DEFAULT 3, as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_month timestamp := date_trunc('month', as_of AT TIME ZONE 'UTC');
    month_start timestamp;
    partition_name text;
    created integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 36 THEN
        RAISE EXCEPTION 'months_ahead must be 0 to 36, not %', months_ahead USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('heroes.audit_log partitions'));
    FOR i IN 0 .. months_ahead LOOP
        month_start := first_month + make_interval(months => i);
        partition_name := format('audit_log_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        IF to_regclass(format('public.%I', partition_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audit_log FOR VALUES FROM (%L) TO (%L)',
                           partition_name, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION app.ensure_audit_partitions(integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.ensure_audit_partitions(integer, timestamptz) TO application_role;

SELECT app.ensure_audit_partitions(3);

-- The generic audit trigger (AFTER ... FOR EACH ROW). Arguments: 'keys-only' records which
-- columns changed but no values (a child's data). Secrets are replaced by "[redacted]". The actor
-- comes from the context the application set, not from the database role.
CREATE FUNCTION app.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    secrets constant text[] := ARRAY['password_hash', 'token_hash', 'session_token_hash', 'email_hash'];
    keys_only constant boolean := TG_NARGS > 0 AND TG_ARGV[0] = 'keys-only';
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    changed text[];
    old_values jsonb;
    new_values jsonb;
    secret text;
BEGIN
    SELECT coalesce(array_agg(key ORDER BY key), '{}') INTO changed
      FROM jsonb_object_keys(coalesce(new_row, old_row)) AS key
     WHERE TG_OP <> 'UPDATE' OR new_row -> key IS DISTINCT FROM old_row -> key;
    IF TG_OP = 'UPDATE' AND changed <@ ARRAY['updated_at'] THEN
        RETURN NULL; -- nothing changed but the touch trigger's timestamp: nothing to record
    END IF;
    IF NOT keys_only THEN
        SELECT jsonb_object_agg(key, old_row -> key) INTO old_values FROM unnest(changed) AS key WHERE old_row IS NOT NULL;
        SELECT jsonb_object_agg(key, new_row -> key) INTO new_values FROM unnest(changed) AS key WHERE new_row IS NOT NULL;
        FOREACH secret IN ARRAY secrets LOOP
            IF old_values ? secret THEN old_values := jsonb_set(old_values, ARRAY[secret], '"[redacted]"'); END IF;
            IF new_values ? secret THEN new_values := jsonb_set(new_values, ARRAY[secret], '"[redacted]"'); END IF;
        END LOOP;
    END IF;
    INSERT INTO public.audit_log (table_name, operation, row_key, changed_columns, old_values, new_values, actor_role,
                                  facilitator_id, student_session_id, database_role, transaction_id, request_id, client_ip)
    VALUES (TG_TABLE_NAME, TG_OP, jsonb_build_object('id', coalesce(new_row -> 'id', old_row -> 'id')), changed,
            old_values, new_values, coalesce(app.actor_role(), 'system'), app.facilitator_id(), app.student_session_id(),
            session_user, txid_current(), app.request_id(), app.client_ip());
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION app.audit_row() FROM PUBLIC;

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_admin ON audit_log FOR SELECT TO application_role USING ((SELECT app.actor_role()) = 'admin');
CREATE POLICY audit_log_reporting ON audit_log FOR SELECT TO readonly_role USING (true);
-- Only the trigger (running as the owner) writes; nobody changes or removes a record.
GRANT SELECT ON audit_log TO application_role, readonly_role;

CREATE TABLE security_incidents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_type text NOT NULL CHECK (incident_type ~ '^[a-z][a-z0-9_]{1,62}$'),
    severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    ip_address inet,
    facilitator_id uuid REFERENCES facilitators (id) ON DELETE SET NULL,
    details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object' AND pg_column_size(details) <= 8192),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    CONSTRAINT security_incidents_resolved_when_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- The guide's "recent incidents" query, and open incidents by severity for the admin list.
CREATE INDEX security_incidents_created_at_idx ON security_incidents (created_at);
CREATE INDEX security_incidents_open_idx ON security_incidents (severity, created_at) WHERE status <> 'resolved';
CREATE INDEX security_incidents_facilitator_id_idx ON security_incidents (facilitator_id);

ALTER TABLE security_incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_incidents FORCE ROW LEVEL SECURITY;
-- Any request may report an incident (a failed login has no actor yet); only an admin reads or handles them.
CREATE POLICY security_incidents_report ON security_incidents FOR INSERT TO application_role WITH CHECK (true);
CREATE POLICY security_incidents_admin_read ON security_incidents FOR SELECT TO application_role
    USING ((SELECT app.actor_role()) = 'admin');
CREATE POLICY security_incidents_admin_update ON security_incidents FOR UPDATE TO application_role
    USING ((SELECT app.actor_role()) = 'admin') WITH CHECK ((SELECT app.actor_role()) = 'admin');
CREATE POLICY security_incidents_reporting ON security_incidents FOR SELECT TO readonly_role USING (true);
GRANT SELECT, INSERT, UPDATE ON security_incidents TO application_role;
GRANT SELECT ON security_incidents TO readonly_role;

CREATE TRIGGER facilitators_audit AFTER INSERT OR UPDATE OR DELETE ON facilitators
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
CREATE TRIGGER facilitator_sessions_audit AFTER INSERT OR UPDATE OR DELETE ON facilitator_sessions
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
CREATE TRIGGER security_incidents_audit AFTER INSERT OR UPDATE OR DELETE ON security_incidents
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
