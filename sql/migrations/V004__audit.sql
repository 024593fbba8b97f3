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

-- The generic audit trigger (AFTER ... FOR EACH ROW). Its arguments name the columns to redact
-- (their values become "[redacted]"), or are the one word 'keys-only': record which columns changed
-- but no values (a child's data). The actor comes from the context the application set (read here
-- with current_setting, not the app.* readers, to keep the per-row cost down), not from the
-- database role.
CREATE FUNCTION app.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    row_key jsonb;
    changed text[];
    secret text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        new_row := to_jsonb(NEW);
        changed := ARRAY(SELECT jsonb_object_keys(new_row));
    ELSIF TG_OP = 'DELETE' THEN
        old_row := to_jsonb(OLD);
        changed := ARRAY(SELECT jsonb_object_keys(old_row));
    ELSE
        SELECT array_agg(n.key ORDER BY n.key), jsonb_object_agg(n.key, o.value), jsonb_object_agg(n.key, n.value)
          INTO changed, old_row, new_row
          FROM jsonb_each(to_jsonb(NEW)) n
          JOIN jsonb_each(to_jsonb(OLD)) o ON o.key = n.key
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed IS NULL OR changed <@ ARRAY['updated_at'] THEN
            RETURN NULL; -- nothing changed but the touch trigger's timestamp: nothing to record
        END IF;
    END IF;
    row_key := jsonb_build_object('id', CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD.id) ELSE to_jsonb(NEW.id) END);
    IF TG_NARGS = 1 AND TG_ARGV[0] = 'keys-only' THEN
        old_row := NULL;
        new_row := NULL;
    ELSIF TG_NARGS > 0 THEN
        FOREACH secret IN ARRAY TG_ARGV LOOP
            IF old_row ? secret THEN old_row := old_row || jsonb_build_object(secret, '[redacted]'); END IF;
            IF new_row ? secret THEN new_row := new_row || jsonb_build_object(secret, '[redacted]'); END IF;
        END LOOP;
    END IF;
    INSERT INTO public.audit_log (table_name, operation, row_key, changed_columns, old_values, new_values, actor_role,
                                  facilitator_id, student_session_id, database_role, transaction_id, request_id, client_ip)
    VALUES (TG_TABLE_NAME, TG_OP, row_key, changed, old_row, new_row,
            coalesce(nullif(current_setting('app.role', true), ''), 'system'),
            nullif(current_setting('app.facilitator_id', true), '')::uuid,
            nullif(current_setting('app.student_session_id', true), '')::uuid,
            session_user, txid_current(),
            nullif(current_setting('app.request_id', true), ''),
            nullif(current_setting('app.client_ip', true), '')::inet);
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
    FOR EACH ROW EXECUTE FUNCTION app.audit_row('password_hash');
CREATE TRIGGER facilitator_sessions_audit AFTER INSERT OR UPDATE OR DELETE ON facilitator_sessions
    FOR EACH ROW EXECUTE FUNCTION app.audit_row('token_hash');
CREATE TRIGGER security_incidents_audit AFTER INSERT OR UPDATE OR DELETE ON security_incidents
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();
