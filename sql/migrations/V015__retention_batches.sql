-- Faster retention batches, measured with heroes-bench (RetentionMoveBench, AuditRetireBench):
--
-- 1. Deletes are audited once per statement, from its transition table, instead of once per row.
--    A batch of 2,000 student sessions called the row trigger 2,000 times only for each call to
--    find that the batch's own deletes are not recorded (a quarter of the batch's time); any bulk
--    delete (a facilitator's account with its classrooms) now pays one call, not one per row. The
--    rows recorded are those app.audit_row recorded: same columns, same redaction.
-- 2. The batch functions reach rows by key only, and never start parallel workers: a batch is a
--    few thousand rows, for which launching workers costs more than it saves (counting a million
--    audit rows took twice as long with two workers as without on a two-core server), and a
--    background job must not take every core the classroom's requests need.

-- The DELETE half of app.audit_row, for a statement's deleted rows at once (AFTER DELETE ... FOR
-- EACH STATEMENT, REFERENCING OLD TABLE AS old_rows); its arguments are app.audit_row's. A
-- retention batch's own deletes are not recorded (retention_runs records the run; see app.audit_row).
CREATE FUNCTION app.audit_deletes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keys_only constant boolean := TG_NARGS = 1 AND TG_ARGV[0] = 'keys-only';
    secrets constant text[] := CASE WHEN TG_NARGS = 1 AND TG_ARGV[0] = 'keys-only' THEN '{}'::text[] ELSE coalesce(TG_ARGV, '{}') END;
BEGIN
    IF EXISTS (SELECT 1 FROM public.retention_runs r
                WHERE r.outcome = 'running' AND r.backend_pid = pg_backend_pid() AND r.batch_xact = pg_current_xact_id()) THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.audit_log (table_name, operation, row_key, changed_columns, old_values, new_values, actor_role,
                                  facilitator_id, student_session_id, database_role, transaction_id, request_id, client_ip)
    SELECT TG_TABLE_NAME, 'DELETE', jsonb_build_object('id', d.old_row -> 'id'), ARRAY(SELECT jsonb_object_keys(d.old_row)),
           CASE WHEN keys_only THEN NULL
                ELSE d.old_row || coalesce((SELECT jsonb_object_agg(s.secret, '[redacted]')
                                              FROM unnest(secrets) AS s(secret) WHERE d.old_row ? s.secret), '{}') END,
           NULL,
           coalesce(nullif(current_setting('app.role', true), ''), 'system'),
           nullif(current_setting('app.facilitator_id', true), '')::uuid,
           nullif(current_setting('app.student_session_id', true), '')::uuid,
           session_user, txid_current(),
           nullif(current_setting('app.request_id', true), ''),
           nullif(current_setting('app.client_ip', true), '')::inet
      FROM (SELECT to_jsonb(o) AS old_row FROM old_rows o) d;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION app.audit_deletes() FROM PUBLIC;

-- Audits a table: its row trigger <table>_audit (app.audit_row) records INSERT and UPDATE, its
-- statement trigger <table>_audit_deletes (app.audit_deletes) DELETE, both with the arguments given
-- (columns to redact, or 'keys-only'). A migration that adds an audited table calls this.
CREATE FUNCTION app.audit_table(audited regclass, VARIADIC arguments text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    table_name constant text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = audited);
    listed constant text := coalesce((SELECT string_agg(quote_literal(a), ', ' ORDER BY n)
                                        FROM unnest(arguments) WITH ORDINALITY AS x(a, n)), '');
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', table_name || '_audit', audited);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', table_name || '_audit_deletes', audited);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app.audit_row(%s)',
                   table_name || '_audit', audited, listed);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                   'EXECUTE FUNCTION app.audit_deletes(%s)', table_name || '_audit_deletes', audited, listed);
END
$$;
REVOKE ALL ON FUNCTION app.audit_table(regclass, text[]) FROM PUBLIC;

-- Every table audited so far, each trigger named <table>_audit.
DO $audit$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT tr.tgrelid::regclass AS audited, tr.tgname,
                    coalesce((string_to_array(encode(tr.tgargs, 'escape'), '\000'))[1:tr.tgnargs], '{}') AS arguments
               FROM pg_trigger tr
              WHERE tr.tgfoid = 'app.audit_row()'::regprocedure AND NOT tr.tgisinternal
              ORDER BY tr.tgrelid LOOP
        IF t.tgname <> (SELECT c.relname FROM pg_class c WHERE c.oid = t.audited) || '_audit' THEN
            RAISE EXCEPTION 'audit trigger % on % is not named <table>_audit', t.tgname, t.audited;
        END IF;
        PERFORM app.audit_table(t.audited, VARIADIC t.arguments);
    END LOOP;
END
$audit$;

-- app.audit_row now sees INSERT and UPDATE only (its DELETE branch stays, for a trigger made the
-- old way by hand).

ALTER FUNCTION app.retention_past_sessions(timestamptz, bigint, timestamptz, text) SET max_parallel_workers_per_gather = 0;
ALTER FUNCTION app.retention_expired_sessions(timestamptz, bigint, timestamptz) SET max_parallel_workers_per_gather = 0;
ALTER FUNCTION app.retention_student_batch(bigint, timestamptz, public.data_retention_policies, integer, text, timestamptz, timestamptz)
    SET enable_seqscan = off;
ALTER FUNCTION app.retention_student_batch(bigint, timestamptz, public.data_retention_policies, integer, text, timestamptz, timestamptz)
    SET max_parallel_workers_per_gather = 0;
ALTER FUNCTION app.retention_audit_batch(bigint, timestamptz, public.data_retention_policies, integer, boolean)
    SET max_parallel_workers_per_gather = 0;
