-- Data retention (the deployment guide's "2-year active, 3-year total"): the policies a DBA reads
-- and edits, the six archive tables, and the functions that move rows older than the live period
-- into them and delete archived rows older than the total period, losing nothing on the way.
--
-- How a run works. app.retention_open starts a run (one row in retention_runs, one per table in
-- retention_run_tables) under an advisory lock, so a second run is refused at once rather than
-- waiting. app.retention_next_batch does one batch of the first table with work left: one
-- statement per table that deletes and inserts (WITH moved AS (DELETE ... RETURNING) INSERT INTO
-- ..._archive), children before parents, so every commit leaves the foreign keys intact and no row
-- in both places or in neither. app.retention_close records the outcome. Three drivers share them:
--   execute_data_retention_policy()  a function: one transaction, so bounded work (max_rows)
--   CALL run_data_retention()        a procedure: commits after every batch, for a backlog
--   RetentionService (heroes-retention) the server's job and `heroes retention run`: the same
--                                    loop from Java, one transaction per batch, progress logged
-- A run that dies half way (a crash, a terminated backend) leaves every committed batch whole;
-- the next run marks it interrupted and carries on where it stopped.
--
-- What decides each table's time (its clock), and when a row moves:
--   student_sessions   the latest of created_at, last_seen_at, ended_at (or expires_at), and of its
--                      progress and feedback; the session moves with its progress and feedback in
--                      one transaction, and only when it is no longer live
--   classroom_sessions ended_at (started_at while open); never while a live feedback row refers to it
--   security_incidents resolved_at: a resolved incident moves two years after it was resolved; one
--                      never resolved stays live (it still needs a person) until it is three years
--                      old, then moves, and being past the total period it is deleted by the same run
--   audit_log          whole months (the table is partitioned by month): a month wholly past the
--                      live period is detached from audit_log and attached to audit_log_archive; a
--                      month wholly past the total period is dropped. So an audit row stays live at
--                      most a month longer than the live period, and is never deleted early.

CREATE TABLE data_retention_policies (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL CONSTRAINT data_retention_policies_table_name_key UNIQUE,
    clock_column text NOT NULL,
    live_period interval NOT NULL,
    total_period interval NOT NULL,
    archive_table text,
    batch_size integer NOT NULL DEFAULT 1000 CHECK (batch_size BETWEEN 1 AND 50000),
    enabled boolean NOT NULL DEFAULT true,
    purpose text NOT NULL CHECK (length(btrim(purpose)) BETWEEN 1 AND 2000),
    reason_for_keeping text NOT NULL CHECK (length(btrim(reason_for_keeping)) BETWEEN 1 AND 2000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT data_retention_policies_live_period_positive CHECK (live_period > interval '0'),
    CONSTRAINT data_retention_policies_total_at_least_live CHECK (total_period >= live_period),
    -- a plain purge keeps rows live for its one period, then deletes them
    CONSTRAINT data_retention_policies_purge_has_one_period CHECK (archive_table IS NOT NULL OR total_period = live_period),
    -- the functions below implement exactly these; a row cannot promise what they do not do
    CONSTRAINT data_retention_policies_governed_table CHECK (
        table_name || ' ' || clock_column || ' ' || coalesce(archive_table, '-') IN (
            'student_sessions last_seen_at student_sessions_archive',
            'classroom_sessions ended_at classroom_sessions_archive',
            'audit_log occurred_at audit_log_archive',
            'security_incidents resolved_at security_incidents_archive',
            'facilitator_sessions expires_at -',
            'facilitator_retired_tokens retired_at -',
            'auth_attempts attempted_at -',
            'job_runs started_at -'))
);
COMMENT ON TABLE data_retention_policies IS 'How long each table keeps its rows live, and in its archive; the DBA edits periods, batch sizes and enabled';
COMMENT ON COLUMN data_retention_policies.clock_column IS 'The time that decides; for student_sessions the latest of created_at, last_seen_at, ended_at and its progress and feedback';
COMMENT ON COLUMN data_retention_policies.live_period IS 'Rows whose clock is older than this move to the archive table (or are deleted, for a plain purge)';
COMMENT ON COLUMN data_retention_policies.total_period IS 'Archived rows whose clock is older than this are deleted';
COMMENT ON COLUMN data_retention_policies.batch_size IS 'Rows per batch (student sessions per batch, each with its progress and feedback)';
CREATE TRIGGER data_retention_policies_touch BEFORE UPDATE ON data_retention_policies
    FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER data_retention_policies_audit AFTER INSERT OR UPDATE OR DELETE ON data_retention_policies
    FOR EACH ROW EXECUTE FUNCTION app.audit_row();

INSERT INTO data_retention_policies (table_name, clock_column, live_period, total_period, archive_table, batch_size, purpose, reason_for_keeping)
VALUES
    ('student_sessions', 'last_seen_at', interval 'P2Y', interval 'P3Y', 'student_sessions_archive', 2000,
     'Anonymous student sessions (an age range and a grade, never a name) with their lesson progress and feedback.',
     'Facilitators follow a class through the 12 lessons and compare years; the archive keeps a third year for the privacy export and for questions about past classes.'),
    ('classroom_sessions', 'ended_at', interval 'P2Y', interval 'P3Y', 'classroom_sessions_archive', 1000,
     'Lessons taught in a classroom, with the facilitator''s notes on them.',
     'A facilitator''s teaching record for the current and previous school year; feedback rows refer to them.'),
    ('audit_log', 'occurred_at', interval 'P2Y', interval 'P3Y', 'audit_log_archive', 5000,
     'Who changed what in the sensitive tables (a child''s data only by its keys).',
     'Investigating an incident or a complaint needs the history of the last two school years live and a third in the archive.'),
    ('security_incidents', 'resolved_at', interval 'P2Y', interval 'P3Y', 'security_incidents_archive', 1000,
     'Security incidents: failed logins, code guessing, what an admin must handle.',
     'Kept two years after they were resolved; one never resolved stays live until it is three years old, then goes.'),
    ('facilitator_sessions', 'expires_at', interval '90 days', interval '90 days', NULL, 5000,
     'Facilitators'' sign-in sessions (device and address of an adult), deleted 90 days after they ended or expired.',
     'An admin looking into a compromised account needs the recent sessions; older ones serve nobody. Live sessions are never touched.'),
    ('facilitator_retired_tokens', 'retired_at', interval '30 days', interval '30 days', NULL, 5000,
     'Hashes of refresh tokens already exchanged, deleted 30 days after retirement once their session has ended.',
     'They exist to catch a stolen token presented again, which only matters while the session lives.'),
    ('auth_attempts', 'attempted_at', interval '90 days', interval '90 days', NULL, 5000,
     'Login attempts (hashed email, address, outcome), deleted after 90 days.',
     'Throttling reads the last hour; investigating an attack on an account needs a season, not more.'),
    ('job_runs', 'started_at', interval '90 days', interval '90 days', NULL, 5000,
     'The history of scheduled jobs, deleted after 90 days; the latest run of each job is always kept.',
     'Operators look at recent runs; the health check reads the latest of each job.');

-- The archive tables: every column of the live table, then when and by which run the row was
-- archived. No foreign keys (their parents move or go on their own), no constraints of the live
-- table (a row was valid when written; a later, stricter rule must not refuse to archive it).
CREATE TABLE student_sessions_archive (
    LIKE student_sessions,
    archived_at timestamptz NOT NULL,
    retention_run_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX student_sessions_archive_classroom_id_idx ON student_sessions_archive (classroom_id);
CREATE INDEX student_sessions_archive_clock_idx ON student_sessions_archive ((greatest(created_at, last_seen_at, coalesce(ended_at, expires_at))));

CREATE TABLE student_progress_archive (
    LIKE student_progress,
    archived_at timestamptz NOT NULL,
    retention_run_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX student_progress_archive_student_session_id_idx ON student_progress_archive (student_session_id);
CREATE INDEX student_progress_archive_classroom_id_idx ON student_progress_archive (classroom_id);

CREATE TABLE student_feedback_archive (
    LIKE student_feedback,
    archived_at timestamptz NOT NULL,
    retention_run_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX student_feedback_archive_student_session_id_idx ON student_feedback_archive (student_session_id);
CREATE INDEX student_feedback_archive_classroom_id_idx ON student_feedback_archive (classroom_id);

CREATE TABLE classroom_sessions_archive (
    LIKE classroom_sessions,
    archived_at timestamptz NOT NULL,
    retention_run_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX classroom_sessions_archive_classroom_id_idx ON classroom_sessions_archive (classroom_id);
CREATE INDEX classroom_sessions_archive_clock_idx ON classroom_sessions_archive ((coalesce(ended_at, started_at)));

CREATE TABLE security_incidents_archive (
    LIKE security_incidents,
    archived_at timestamptz NOT NULL,
    retention_run_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX security_incidents_archive_clock_idx ON security_incidents_archive ((coalesce(resolved_at, created_at)));

-- audit_log_archive has exactly audit_log's columns, partitioned by month the same way, with the
-- same indexes, so that a month's partition detached from audit_log attaches here as it is (ATTACH
-- requires the same columns, and reuses matching indexes instead of building them). When and by
-- which run a month's rows were archived is recorded per month in audit_log_archive_moves.
CREATE TABLE audit_log_archive (
    id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    table_name text NOT NULL,
    -- named as audit_log's own: ATTACH matches a partition's CHECK constraints by name
    operation text NOT NULL CONSTRAINT audit_log_operation_check CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
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
COMMENT ON TABLE audit_log_archive IS 'audit_log''s months past the live period, one partition each; audit_log_archive_moves says when and by which run';
CREATE INDEX audit_log_archive_table_name_occurred_at_idx ON audit_log_archive (table_name, occurred_at);
CREATE INDEX audit_log_archive_facilitator_id_occurred_at_idx ON audit_log_archive (facilitator_id, occurred_at) WHERE facilitator_id IS NOT NULL;

CREATE TABLE audit_log_archive_moves (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month date NOT NULL CHECK (month = date_trunc('month', month)),
    method text NOT NULL CHECK (method IN ('partition', 'rows', 'dropped')),
    row_count bigint NOT NULL CHECK (row_count >= 0),
    retention_run_id bigint NOT NULL,
    moved_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_archive_moves_month_idx ON audit_log_archive_moves (month);
COMMENT ON TABLE audit_log_archive_moves IS 'Each move of audit rows into audit_log_archive (a whole partition, or rows from audit_log_default), and each month dropped';

-- Retention runs, and each table in them.
CREATE TABLE retention_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    as_of timestamptz NOT NULL,
    only_table text,
    started_by text NOT NULL CHECK (started_by IN ('function', 'procedure', 'service')),
    row_bound bigint CHECK (row_bound > 0),
    database_role text NOT NULL DEFAULT session_user,
    backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
    outcome text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    error text CHECK (length(error) <= 4000),
    -- the transaction of the batch at work, only while app.retention_next_batch runs (see app.audit_row)
    batch_xact xid8,
    CONSTRAINT retention_runs_finished_when_done CHECK ((outcome = 'running') = (finished_at IS NULL))
);
CREATE INDEX retention_runs_started_at_idx ON retention_runs (started_at);
CREATE UNIQUE INDEX retention_runs_one_running ON retention_runs ((true)) WHERE outcome = 'running';

CREATE TABLE retention_run_tables (
    run_id bigint NOT NULL REFERENCES retention_runs (id) ON DELETE CASCADE,
    position smallint NOT NULL,
    table_name text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    archived bigint NOT NULL DEFAULT 0 CHECK (archived >= 0),
    purged bigint NOT NULL DEFAULT 0 CHECK (purged >= 0),
    batches integer NOT NULL DEFAULT 0 CHECK (batches >= 0),
    -- where the students' batches stopped, so the next starts there (a run's own cursor)
    resume_move timestamptz,
    resume_purge timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (run_id, table_name)
);
CREATE INDEX retention_run_tables_table_name_idx ON retention_run_tables (table_name, run_id);
COMMENT ON TABLE retention_runs IS 'Every retention run: its moment (as_of), who started it, its outcome';
COMMENT ON TABLE retention_run_tables IS 'Each table of a retention run: rows archived and purged, batches, duration';

-- Finding old rows fast: a session created after the cutoff cannot be past it; logins by time.
CREATE INDEX student_sessions_created_at_idx ON student_sessions (created_at);
CREATE INDEX auth_attempts_attempted_at_idx ON auth_attempts (attempted_at);

-- Row level security: the archives mirror their live tables. A facilitator reads their own
-- classrooms' archived student and lesson rows (the privacy export), an admin all; the audit and
-- incident archives are admin-only; reporting reads everything it reads live; analytics nothing.
-- Nobody but the owner (the retention functions) writes or deletes a row.
DO $rls$
DECLARE
    archive text;
BEGIN
    FOREACH archive IN ARRAY ARRAY['student_sessions_archive', 'student_progress_archive', 'student_feedback_archive',
                                   'classroom_sessions_archive'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', archive);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', archive);
        EXECUTE format($p$CREATE POLICY %I ON %I FOR SELECT TO application_role
                           USING (classroom_id IN (SELECT app.facilitator_classroom_ids()) OR (SELECT app.actor_role()) = 'admin')$p$,
                       archive || '_facilitator', archive);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO readonly_role USING (true)', archive || '_reporting', archive);
        EXECUTE format('GRANT SELECT ON %I TO application_role', archive);
    END LOOP;
    FOREACH archive IN ARRAY ARRAY['audit_log_archive', 'security_incidents_archive'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', archive);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', archive);
        EXECUTE format($p$CREATE POLICY %I ON %I FOR SELECT TO application_role USING ((SELECT app.actor_role()) = 'admin')$p$,
                       archive || '_admin', archive);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO readonly_role USING (true)', archive || '_reporting', archive);
        EXECUTE format('GRANT SELECT ON %I TO application_role, readonly_role', archive);
    END LOOP;
    -- what retention is and did: nobody's data, readable by the server and reporting
    FOREACH archive IN ARRAY ARRAY['data_retention_policies', 'retention_runs', 'retention_run_tables', 'audit_log_archive_moves'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', archive);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', archive);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO application_role, readonly_role USING (true)', archive || '_read', archive);
        EXECUTE format('GRANT SELECT ON %I TO application_role, readonly_role', archive);
    END LOOP;
END
$rls$;
GRANT SELECT ON student_progress_archive, student_feedback_archive, classroom_sessions_archive TO readonly_role;
-- as on the live table: reporting never sees a token hash
GRANT SELECT (id, classroom_id, demographic_data, created_at, expires_at, last_seen_at, ended_at, archived_at, retention_run_id)
    ON student_sessions_archive TO readonly_role;

-- Moving rows is not a change anyone made: the audit trigger records no DELETE made inside a
-- retention batch, and retention_runs records the run instead. A batch is known by its run's row,
-- which only the owner writes: app.retention_next_batch sets batch_xact to its transaction as it
-- starts and clears it before it returns, so no statement of the caller's (a delete after the batch
-- in the same transaction, say) ever passes for retention's.
CREATE OR REPLACE FUNCTION app.audit_row() RETURNS trigger
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
        IF EXISTS (SELECT 1 FROM public.retention_runs r
                    WHERE r.outcome = 'running' AND r.backend_pid = pg_backend_pid() AND r.batch_xact = pg_current_xact_id()) THEN
            RETURN NULL;
        END IF;
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

-- One month's partition, as V013 made it, but keeping its CHECK constraint on the month's bounds
-- (<partition>_bound, validated as the table was made): the month can then leave audit_log for
-- audit_log_archive, two years later, without a scan to prove its rows are within the month.
-- (Months made before this keep theirs without; retention adds and validates one first.)
-- Waits at most 2 s for each lock, and tries 5 times before giving up with lock_not_available.
CREATE OR REPLACE FUNCTION app.create_audit_partition(month_start timestamp)
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
            -- the bound stays: when retention retires the month, it proves the bound to ATTACH again
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

-- ---------------------------------------------------------------------------------------------
-- Which rows are due. Each returns the ids of rows past a cutoff, oldest first, at most max_rows
-- (NULL: all), with their clock: batches, counts, the status and the health probe all use them.

-- Student sessions no longer live whose whole activity (theirs, their progress', their
-- feedback's) is older than cutoff, oldest first from resume_from (where the run's last batch
-- stopped: rows it deleted are not walked again), and, with having_child, only those that still
-- have rows in that table.
CREATE FUNCTION app.retention_past_sessions(cutoff timestamptz, max_rows bigint, resume_from timestamptz DEFAULT '-infinity',
                                            having_child text DEFAULT NULL)
RETURNS TABLE (id uuid, clock timestamptz, created_at timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
-- A batch walks the sessions oldest first by their index and probes each one's children by theirs,
-- stopping at max_rows. Left to itself the planner, which cannot see how few rows qualify, sorts
-- every session and hashes the whole progress table for every batch: a million rows took 8 times
-- as long to move as the raw statements.
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
SET enable_sort = off
AS $$
    SELECT s.id, greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at)), s.created_at
      FROM public.student_sessions s
     WHERE s.created_at >= resume_from AND s.created_at < cutoff
       AND greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at)) < cutoff
       AND NOT EXISTS (SELECT 1 FROM public.student_progress p
                        WHERE p.student_session_id = s.id AND greatest(p.started_at, p.completed_at, p.recorded_at) >= cutoff)
       AND NOT EXISTS (SELECT 1 FROM public.student_feedback f
                        WHERE f.student_session_id = s.id AND f.submitted_at >= cutoff)
       AND (having_child IS NULL
            OR (having_child = 'student_progress' AND EXISTS (SELECT 1 FROM public.student_progress p WHERE p.student_session_id = s.id))
            OR (having_child = 'student_feedback' AND EXISTS (SELECT 1 FROM public.student_feedback f WHERE f.student_session_id = s.id)))
     ORDER BY s.created_at
     LIMIT max_rows
$$;

-- Archived student sessions whose whole activity is older than cutoff (the total period's), oldest
-- first from resume_from.
CREATE FUNCTION app.retention_expired_sessions(cutoff timestamptz, max_rows bigint, resume_from timestamptz DEFAULT '-infinity')
RETURNS TABLE (id uuid, clock timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
SET enable_sort = off
AS $$
    SELECT s.id, greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at))
      FROM public.student_sessions_archive s
     WHERE greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at)) >= resume_from
       AND greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at)) < cutoff
       AND NOT EXISTS (SELECT 1 FROM public.student_progress_archive p
                        WHERE p.student_session_id = s.id AND greatest(p.started_at, p.completed_at, p.recorded_at) >= cutoff)
       AND NOT EXISTS (SELECT 1 FROM public.student_feedback_archive f
                        WHERE f.student_session_id = s.id AND f.submitted_at >= cutoff)
     ORDER BY greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at))
     LIMIT max_rows
$$;

-- Lessons taught that ended before cutoff and that no live feedback refers to (moving one must
-- never set a live feedback row's classroom_session_id to NULL).
CREATE FUNCTION app.retention_past_classroom_sessions(cutoff timestamptz, max_rows bigint)
RETURNS TABLE (id uuid, clock timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT cs.id, coalesce(cs.ended_at, cs.started_at)
      FROM public.classroom_sessions cs
     WHERE coalesce(cs.ended_at, cs.started_at) < cutoff
       AND NOT EXISTS (SELECT 1 FROM public.student_feedback f WHERE f.classroom_session_id = cs.id)
     ORDER BY coalesce(cs.ended_at, cs.started_at), cs.id
     LIMIT max_rows
$$;

-- Incidents resolved before live_cutoff, and incidents older than total_cutoff whatever their state.
CREATE FUNCTION app.retention_past_incidents(live_cutoff timestamptz, total_cutoff timestamptz, max_rows bigint)
RETURNS TABLE (id uuid, clock timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT i.id, coalesce(i.resolved_at, i.created_at)
      FROM public.security_incidents i
     WHERE (i.status = 'resolved' AND i.resolved_at < live_cutoff) OR i.created_at < total_cutoff
     ORDER BY coalesce(i.resolved_at, i.created_at), i.id
     LIMIT max_rows
$$;

-- Rows of a plain purge (or of an archive other than the students' and the audit's) past cutoff;
-- ids as text, as the tables' keys differ in type.
CREATE FUNCTION app.retention_expired_rows(table_name text, cutoff timestamptz, max_rows bigint)
RETURNS TABLE (id text, clock timestamptz)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CASE table_name
    WHEN 'classroom_sessions_archive' THEN
        RETURN QUERY SELECT a.id::text, coalesce(a.ended_at, a.started_at) FROM public.classroom_sessions_archive a
                      WHERE coalesce(a.ended_at, a.started_at) < cutoff ORDER BY 2, 1 LIMIT max_rows;
    WHEN 'security_incidents_archive' THEN
        RETURN QUERY SELECT a.id::text, coalesce(a.resolved_at, a.created_at) FROM public.security_incidents_archive a
                      WHERE coalesce(a.resolved_at, a.created_at) < cutoff ORDER BY 2, 1 LIMIT max_rows;
    WHEN 'facilitator_sessions' THEN
        -- ended (revoked) or expired before cutoff; a live session is never touched
        RETURN QUERY SELECT s.id::text, least(s.expires_at, coalesce(s.revoked_at, s.expires_at)) FROM public.facilitator_sessions s
                      WHERE least(s.expires_at, coalesce(s.revoked_at, s.expires_at)) < cutoff ORDER BY 2, 1 LIMIT max_rows;
    WHEN 'facilitator_retired_tokens' THEN
        -- reuse of a retired token matters only while its session lives
        RETURN QUERY SELECT encode(r.token_hash, 'hex'), r.retired_at FROM public.facilitator_retired_tokens r
                       JOIN public.facilitator_sessions s ON s.id = r.session_id
                      WHERE r.retired_at < cutoff AND (s.revoked_at IS NOT NULL OR s.expires_at <= now())
                      ORDER BY 2, 1 LIMIT max_rows;
    WHEN 'auth_attempts' THEN
        RETURN QUERY SELECT a.id::text, a.attempted_at FROM public.auth_attempts a
                      WHERE a.attempted_at < cutoff ORDER BY 2, a.id LIMIT max_rows;
    WHEN 'job_runs' THEN
        -- the latest run of each job stays, however old: the health check reads it
        RETURN QUERY SELECT j.id::text, j.started_at FROM public.job_runs j
                      WHERE j.started_at < cutoff
                        AND EXISTS (SELECT 1 FROM public.job_runs later WHERE later.job_name = j.job_name AND later.started_at > j.started_at)
                      ORDER BY 2, j.id LIMIT max_rows;
    ELSE
        RAISE EXCEPTION 'no expiry rule for %', table_name USING ERRCODE = 'invalid_parameter_value';
    END CASE;
END
$$;

-- audit_log's monthly partitions (live or archive), with their month.
CREATE FUNCTION app.retention_audit_months(parent regclass)
RETURNS TABLE (partition_name text, month timestamp)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.relname::text, to_date(substring(c.relname FROM '_y([0-9]{4}m[0-9]{2})$'), 'YYYY"m"MM')::timestamp
      FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent AND c.relname ~ '_y[0-9]{4}m[0-9]{2}$'
     ORDER BY 2
$$;

-- The first instant of the month that holds cutoff, as UTC: every month before it is wholly past.
CREATE FUNCTION app.retention_month_floor(cutoff timestamptz)
RETURNS timestamp
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT date_trunc('month', cutoff AT TIME ZONE 'UTC') $$;

-- ---------------------------------------------------------------------------------------------
-- The governed tables, in the order a run takes them: children before parents, the audit log
-- last (its DETACH locks audit_log until the transaction ends, so nothing may follow it).

CREATE FUNCTION app.retention_tables()
RETURNS text[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY['student_sessions', 'student_progress', 'student_feedback', 'classroom_sessions', 'security_incidents',
                 'facilitator_retired_tokens', 'facilitator_sessions', 'auth_attempts', 'job_runs', 'audit_log']
$$;

CREATE FUNCTION app.retention_scope(only_table text)
RETURNS text[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run_order constant text[] := app.retention_tables();
    policy_table text := CASE WHEN only_table IN ('student_progress', 'student_feedback') THEN 'student_sessions' ELSE only_table END;
    enabled_tables text[];
BEGIN
    SELECT array_agg(t ORDER BY o) INTO enabled_tables
      FROM unnest(run_order) WITH ORDINALITY AS u(t, o)
      JOIN public.data_retention_policies p
        ON p.table_name = CASE WHEN u.t IN ('student_progress', 'student_feedback') THEN 'student_sessions' ELSE u.t END
     WHERE p.enabled;
    IF only_table IS NULL THEN
        RETURN coalesce(enabled_tables, '{}');
    END IF;
    IF NOT only_table = ANY (run_order) THEN
        RAISE EXCEPTION 'retention does not govern the table %; it governs %', only_table, array_to_string(run_order, ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.data_retention_policies p WHERE p.table_name = policy_table AND p.enabled) THEN
        RAISE EXCEPTION 'retention of % is disabled', only_table
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('UPDATE data_retention_policies SET enabled = true WHERE table_name = %L', policy_table);
    END IF;
    IF only_table = 'student_sessions' THEN
        RETURN ARRAY['student_sessions', 'student_progress', 'student_feedback'];
    END IF;
    IF only_table = 'facilitator_sessions' THEN
        RETURN ARRAY['facilitator_retired_tokens', 'facilitator_sessions'];
    END IF;
    RETURN ARRAY[only_table];
END
$$;

-- How many rows of a table are due now: to archive, and to delete from its archive (or, for a
-- plain purge, from the table). The dry run, a run's "still eligible" and get_retention_status read it.
CREATE FUNCTION app.retention_due(table_name text, as_of timestamptz)
RETURNS TABLE (eligible bigint, expired bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    policy_table text := CASE WHEN table_name IN ('student_progress', 'student_feedback') THEN 'student_sessions' ELSE table_name END;
    policy public.data_retention_policies;
    live_cutoff timestamptz;
    total_cutoff timestamptz;
BEGIN
    SELECT * INTO policy FROM public.data_retention_policies p WHERE p.table_name = policy_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no retention policy for %', table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    live_cutoff := as_of - policy.live_period;
    total_cutoff := as_of - policy.total_period;
    CASE table_name
    WHEN 'student_sessions' THEN
        RETURN QUERY SELECT (SELECT count(*) FROM app.retention_past_sessions(live_cutoff, NULL)),
                            (SELECT count(*) FROM app.retention_expired_sessions(total_cutoff, NULL));
    WHEN 'student_progress' THEN
        RETURN QUERY SELECT (SELECT count(*) FROM public.student_progress p
                              WHERE p.student_session_id IN (SELECT e.id FROM app.retention_past_sessions(live_cutoff, NULL) e)),
                            (SELECT count(*) FROM public.student_progress_archive p
                              WHERE p.student_session_id IN (SELECT e.id FROM app.retention_expired_sessions(total_cutoff, NULL) e));
    WHEN 'student_feedback' THEN
        RETURN QUERY SELECT (SELECT count(*) FROM public.student_feedback f
                              WHERE f.student_session_id IN (SELECT e.id FROM app.retention_past_sessions(live_cutoff, NULL) e)),
                            (SELECT count(*) FROM public.student_feedback_archive f
                              WHERE f.student_session_id IN (SELECT e.id FROM app.retention_expired_sessions(total_cutoff, NULL) e));
    WHEN 'classroom_sessions' THEN
        RETURN QUERY SELECT (SELECT count(*) FROM app.retention_past_classroom_sessions(live_cutoff, NULL)),
                            (SELECT count(*) FROM app.retention_expired_rows('classroom_sessions_archive', total_cutoff, NULL));
    WHEN 'security_incidents' THEN
        RETURN QUERY SELECT (SELECT count(*) FROM app.retention_past_incidents(live_cutoff, total_cutoff, NULL)),
                            (SELECT count(*) FROM app.retention_expired_rows('security_incidents_archive', total_cutoff, NULL));
    WHEN 'audit_log' THEN
        -- whole months only: rows of the months before the one that holds the cutoff
        RETURN QUERY
        SELECT (SELECT count(*) FROM public.audit_log a
                 WHERE a.occurred_at < app.retention_month_floor(live_cutoff) AT TIME ZONE 'UTC'),
               (SELECT count(*) FROM public.audit_log_archive a
                 WHERE a.occurred_at < app.retention_month_floor(total_cutoff) AT TIME ZONE 'UTC');
    ELSE
        -- the plain purges
        RETURN QUERY SELECT 0::bigint, (SELECT count(*) FROM app.retention_expired_rows(table_name, total_cutoff, NULL));
    END CASE;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- One batch of each table. Each returns whether it did anything, and the rows it archived and
-- purged. They run inside app.retention_next_batch, as the owner.

-- At most batch_size student sessions past the live period, each with all its progress and
-- feedback, children first; or, when none is left, at most batch_size archived sessions past the
-- total period, with theirs. only_child names student_progress or student_feedback when that
-- table was named alone: it moves only its own rows of past sessions; the session follows on its
-- own run.
CREATE FUNCTION app.retention_student_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies,
                                            batch_size integer, only_child text, resume_move timestamptz, resume_purge timestamptz)
RETURNS TABLE (worked boolean, archived bigint, purged bigint, next_move timestamptz, next_purge timestamptz)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- every statement here reaches rows by key (see app.retention_past_sessions)
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    live_cutoff constant timestamptz := as_of - policy.live_period;
    total_cutoff constant timestamptz := as_of - policy.total_period;
    ids uuid[];
    reached timestamptz;
    progress_count bigint := 0;
    feedback_count bigint := 0;
    session_count bigint := 0;
BEGIN
    SELECT array_agg(e.id), max(e.created_at) INTO ids, reached
      FROM app.retention_past_sessions(live_cutoff, batch_size, coalesce(resume_move, '-infinity'), only_child) e;

    IF ids IS NOT NULL THEN
        -- (a session past its period has ended: no request can add a child to it, as row level
        -- security lets a student write only in a live session; the guard below stays for a DBA's hand)
        IF only_child IS NULL OR only_child = 'student_progress' THEN
            WITH moved AS (DELETE FROM public.student_progress p WHERE p.student_session_id = ANY (ids) RETURNING p.*)
            INSERT INTO public.student_progress_archive (id, student_session_id, classroom_id, lesson_id, lesson_content_id, status,
                                                         started_at, completed_at, time_spent_seconds, idempotency_key, recorded_at,
                                                         archived_at, retention_run_id)
            SELECT m.id, m.student_session_id, m.classroom_id, m.lesson_id, m.lesson_content_id, m.status,
                   m.started_at, m.completed_at, m.time_spent_seconds, m.idempotency_key, m.recorded_at, now(), run_id
              FROM moved m;
            GET DIAGNOSTICS progress_count = ROW_COUNT;
        END IF;
        IF only_child IS NULL OR only_child = 'student_feedback' THEN
            WITH moved AS (DELETE FROM public.student_feedback f WHERE f.student_session_id = ANY (ids) RETURNING f.*)
            INSERT INTO public.student_feedback_archive (id, student_session_id, classroom_id, lesson_id, classroom_session_id, rating,
                                                         mood, answers, submitted_at, idempotency_key, archived_at, retention_run_id)
            SELECT m.id, m.student_session_id, m.classroom_id, m.lesson_id, m.classroom_session_id, m.rating,
                   m.mood, m.answers, m.submitted_at, m.idempotency_key, now(), run_id
              FROM moved m;
            GET DIAGNOSTICS feedback_count = ROW_COUNT;
        END IF;
        IF only_child IS NULL THEN
            -- the children are gone in this same transaction; the guard keeps a cascade from ever deleting one
            WITH moved AS (DELETE FROM public.student_sessions s
                            WHERE s.id = ANY (ids)
                              AND NOT EXISTS (SELECT 1 FROM public.student_progress p WHERE p.student_session_id = s.id)
                              AND NOT EXISTS (SELECT 1 FROM public.student_feedback f WHERE f.student_session_id = s.id)
                           RETURNING s.*)
            INSERT INTO public.student_sessions_archive (id, classroom_id, session_token_hash, demographic_data, created_at, expires_at,
                                                         last_seen_at, ended_at, archived_at, retention_run_id)
            SELECT m.id, m.classroom_id, m.session_token_hash, m.demographic_data, m.created_at, m.expires_at,
                   m.last_seen_at, m.ended_at, now(), run_id
              FROM moved m;
            GET DIAGNOSTICS session_count = ROW_COUNT;
        END IF;
        PERFORM app.retention_count(run_id, 'student_progress', progress_count, 0);
        PERFORM app.retention_count(run_id, 'student_feedback', feedback_count, 0);
        RETURN QUERY SELECT true, session_count, 0::bigint, reached, resume_purge;
        RETURN;
    END IF;

    IF only_child IS NOT NULL THEN
        RETURN QUERY SELECT false, 0::bigint, 0::bigint, resume_move, resume_purge;
        RETURN;
    END IF;
    SELECT array_agg(e.id), max(e.clock) INTO ids, reached
      FROM app.retention_expired_sessions(total_cutoff, batch_size, coalesce(resume_purge, '-infinity')) e;
    IF ids IS NULL THEN
        RETURN QUERY SELECT false, 0::bigint, 0::bigint, resume_move, resume_purge;
        RETURN;
    END IF;
    DELETE FROM public.student_progress_archive p WHERE p.student_session_id = ANY (ids);
    GET DIAGNOSTICS progress_count = ROW_COUNT;
    DELETE FROM public.student_feedback_archive f WHERE f.student_session_id = ANY (ids);
    GET DIAGNOSTICS feedback_count = ROW_COUNT;
    DELETE FROM public.student_sessions_archive s WHERE s.id = ANY (ids);
    GET DIAGNOSTICS session_count = ROW_COUNT;
    PERFORM app.retention_count(run_id, 'student_progress', 0, progress_count);
    PERFORM app.retention_count(run_id, 'student_feedback', 0, feedback_count);
    RETURN QUERY SELECT true, 0::bigint, session_count, resume_move, reached;
END
$$;

-- Lessons taught past the live period; or, when none is left, archived ones past the total period.
CREATE FUNCTION app.retention_classroom_session_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies,
                                                      batch_size integer)
RETURNS TABLE (worked boolean, archived bigint, purged bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moved_count bigint;
BEGIN
    WITH moved AS (DELETE FROM public.classroom_sessions cs
                    WHERE cs.id IN (SELECT e.id FROM app.retention_past_classroom_sessions(as_of - policy.live_period, batch_size) e)
                      AND NOT EXISTS (SELECT 1 FROM public.student_feedback f WHERE f.classroom_session_id = cs.id)
                   RETURNING cs.*)
    INSERT INTO public.classroom_sessions_archive (id, classroom_id, lesson_id, started_at, ended_at, notes, archived_at, retention_run_id)
    SELECT m.id, m.classroom_id, m.lesson_id, m.started_at, m.ended_at, m.notes, now(), run_id FROM moved m;
    GET DIAGNOSTICS moved_count = ROW_COUNT;
    IF moved_count > 0 THEN
        RETURN QUERY SELECT true, moved_count, 0::bigint;
        RETURN;
    END IF;
    DELETE FROM public.classroom_sessions_archive a
     WHERE a.id IN (SELECT e.id::uuid FROM app.retention_expired_rows('classroom_sessions_archive', as_of - policy.total_period, batch_size) e);
    GET DIAGNOSTICS moved_count = ROW_COUNT;
    RETURN QUERY SELECT moved_count > 0, 0::bigint, moved_count;
END
$$;

-- Incidents past their time (see app.retention_past_incidents); or archived ones past the total period.
CREATE FUNCTION app.retention_incident_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies,
                                             batch_size integer)
RETURNS TABLE (worked boolean, archived bigint, purged bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moved_count bigint;
BEGIN
    WITH moved AS (DELETE FROM public.security_incidents i
                    WHERE i.id IN (SELECT e.id FROM app.retention_past_incidents(as_of - policy.live_period, as_of - policy.total_period,
                                                                                 batch_size) e)
                   RETURNING i.*)
    INSERT INTO public.security_incidents_archive (id, incident_type, severity, description, ip_address, facilitator_id, details,
                                                   status, created_at, resolved_at, archived_at, retention_run_id)
    SELECT m.id, m.incident_type, m.severity, m.description, m.ip_address, m.facilitator_id, m.details,
           m.status, m.created_at, m.resolved_at, now(), run_id
      FROM moved m;
    GET DIAGNOSTICS moved_count = ROW_COUNT;
    IF moved_count > 0 THEN
        RETURN QUERY SELECT true, moved_count, 0::bigint;
        RETURN;
    END IF;
    DELETE FROM public.security_incidents_archive a
     WHERE a.id IN (SELECT e.id::uuid FROM app.retention_expired_rows('security_incidents_archive', as_of - policy.total_period, batch_size) e);
    GET DIAGNOSTICS moved_count = ROW_COUNT;
    RETURN QUERY SELECT moved_count > 0, 0::bigint, moved_count;
END
$$;

-- A plain purge: at most batch_size rows past the period, deleted.
CREATE FUNCTION app.retention_purge_batch(run_id bigint, table_name text, as_of timestamptz, policy public.data_retention_policies,
                                          batch_size integer)
RETURNS TABLE (worked boolean, archived bigint, purged bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff constant timestamptz := as_of - policy.total_period;
    ids uuid[];
    deleted bigint;
BEGIN
    CASE table_name
    WHEN 'facilitator_sessions' THEN
        -- their retired tokens first, counted as that table's (the foreign key would cascade unseen)
        ids := ARRAY(SELECT e.id::uuid FROM app.retention_expired_rows(table_name, cutoff, batch_size) e);
        DELETE FROM public.facilitator_retired_tokens r WHERE r.session_id = ANY (ids);
        GET DIAGNOSTICS deleted = ROW_COUNT;
        PERFORM app.retention_count(run_id, 'facilitator_retired_tokens', 0, deleted);
        DELETE FROM public.facilitator_sessions s WHERE s.id = ANY (ids);
    WHEN 'facilitator_retired_tokens' THEN
        DELETE FROM public.facilitator_retired_tokens r
         WHERE r.token_hash IN (SELECT decode(e.id, 'hex') FROM app.retention_expired_rows(table_name, cutoff, batch_size) e);
    WHEN 'auth_attempts' THEN
        DELETE FROM public.auth_attempts a
         WHERE a.id IN (SELECT e.id::bigint FROM app.retention_expired_rows(table_name, cutoff, batch_size) e);
    WHEN 'job_runs' THEN
        DELETE FROM public.job_runs j
         WHERE j.id IN (SELECT e.id::bigint FROM app.retention_expired_rows(table_name, cutoff, batch_size) e);
    END CASE;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN QUERY SELECT deleted > 0, 0::bigint, deleted;
END
$$;

-- A month's partition of audit_log_archive, made when rows of a month without one arrive.
CREATE FUNCTION app.ensure_audit_archive_partition(month_start timestamp)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    partition_name constant text := format('audit_log_archive_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
BEGIN
    IF to_regclass(format('public.%I', partition_name)) IS NULL THEN
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audit_log_archive FOR VALUES FROM (%L) TO (%L)',
                       partition_name, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
    END IF;
    RETURN partition_name;
END
$$;

-- Runs an ALTER TABLE that needs a lock the audited writes also need, waiting at most 100 ms for
-- it; when it is not granted, lets the writers queued behind it through, and tries again (20 times).
CREATE FUNCTION app.retention_alter_briefly(statement text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous_timeout constant text := current_setting('lock_timeout');
BEGIN
    FOR attempt IN 1 .. 20 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '100ms', true);
            EXECUTE statement;
            PERFORM set_config('lock_timeout', previous_timeout, true);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM set_config('lock_timeout', previous_timeout, true);
            IF attempt = 20 THEN
                RAISE EXCEPTION 'no lock within 20 tries of 100 ms for: %', statement
                    USING ERRCODE = 'lock_not_available', HINT = 'A long transaction holds audit_log; the next run tries again.';
            END IF;
            PERFORM pg_sleep(0.05 * attempt);
        END;
    END LOOP;
END
$$;

-- One step of the audit log, in this order:
--   1. rows of wholly past months waiting in audit_log_default move row by row (batch_size);
--   2. an archived month wholly past the total period is dropped;
--   3. a live month wholly past the live period gets a CHECK constraint that proves its bounds,
--      added NOT VALID (a moment's lock on that old partition alone), then
--   4. validated (a scan that locks neither audit_log nor its writers), so that
--   5. it is detached from audit_log and attached to audit_log_archive without a scan. DETACH
--      locks audit_log (ACCESS EXCLUSIVE) until the transaction ends, and every audited write needs
--      audit_log: it waits at most 100 ms for the lock at a time (app.retention_alter_briefly), and
--      the caller commits right after (the step is the last of a run). With may_detach false (one
--      long transaction) step 5 is left to the caller, which does it as its very last statement.
-- method says which it did: rows, dropped, constrained, validated, partition; deferred (5 is all
-- that is left and may_detach is false) or NULL (nothing is left).
CREATE FUNCTION app.retention_audit_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies, batch_size integer,
                                          may_detach boolean)
RETURNS TABLE (worked boolean, archived bigint, purged bigint, method text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
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

    EXECUTE format('SELECT count(*) FROM public.%I', part) INTO moved_count;
    PERFORM app.retention_alter_briefly(format('ALTER TABLE public.audit_log DETACH PARTITION public.%I', part));
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

-- Adds a batch's rows to a table of a run.
CREATE FUNCTION app.retention_count(run_id bigint, table_name text, archived bigint, purged bigint)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE public.retention_run_tables t
       SET archived = t.archived + retention_count.archived, purged = t.purged + retention_count.purged
     WHERE t.run_id = retention_count.run_id AND t.table_name = retention_count.table_name
$$;

-- ---------------------------------------------------------------------------------------------
-- Runs.

-- The pid of another backend that holds the retention lock, if any.
CREATE FUNCTION app.retention_lock_holder()
RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.pid FROM pg_catalog.pg_locks l
     WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = 48480015 AND l.objsubid = 1 AND l.granted
       AND l.pid <> pg_backend_pid()
     LIMIT 1
$$;

-- Starts a run: checks the moment and the table, takes the retention lock (at once or not at all:
-- a second run is refused, it does not wait), marks a run that died as interrupted, and records
-- this one. started_by 'function' holds the lock for its transaction; the others for the session,
-- until app.retention_close (or the session's end, should it die first).
CREATE FUNCTION app.retention_open(only_table text, as_of timestamptz, started_by text, row_bound bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moment constant timestamptz := coalesce(as_of, now());
    tables text[];
    locked boolean;
    holder integer;
    run bigint;
BEGIN
    PERFORM app.require_past(moment);
    tables := app.retention_scope(only_table);
    IF started_by = 'function' THEN
        locked := pg_try_advisory_xact_lock(48480015);
    ELSIF started_by IN ('procedure', 'service') THEN
        locked := EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                           WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = 48480015 AND l.objsubid = 1
                             AND l.pid = pg_backend_pid() AND l.granted)
                  OR pg_try_advisory_lock(48480015);
    ELSE
        RAISE EXCEPTION 'started_by must be function, procedure or service, not %', started_by USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT locked THEN
        holder := app.retention_lock_holder();
        RAISE EXCEPTION 'a retention run is in progress (backend %)', coalesce(holder::text, 'unknown')
            USING ERRCODE = 'object_in_use',
                  DETAIL = coalesce((SELECT format('Run %s started at %s by %s.', r.id, r.started_at, r.database_role)
                                       FROM public.retention_runs r WHERE r.outcome = 'running' ORDER BY r.id DESC LIMIT 1),
                                    'It runs in one transaction (execute_data_retention_policy).'),
                  HINT = 'Try again when it has finished; it leaves nothing for a second run to do at the same time.';
    END IF;
    -- we hold the lock, so a run still marked running is not running: its backend died or gave up
    UPDATE public.retention_run_tables t SET state = 'skipped', finished_at = clock_timestamp()
     WHERE t.state = 'pending' AND t.run_id IN (SELECT r.id FROM public.retention_runs r WHERE r.outcome = 'running');
    UPDATE public.retention_runs r
       SET outcome = 'interrupted', finished_at = clock_timestamp(),
           error = 'the run stopped before it finished (its connection ended); every batch it committed is whole, and the next run went on'
     WHERE r.outcome = 'running';
    INSERT INTO public.retention_runs (as_of, only_table, started_by, row_bound)
    VALUES (moment, only_table, started_by, row_bound)
    RETURNING id INTO run;
    INSERT INTO public.retention_run_tables (run_id, position, table_name)
    SELECT run, u.o, u.t FROM unnest(tables) WITH ORDINALITY AS u(t, o);
    RETURN run;
END
$$;

-- One batch of the first table of the run with work left; tables with none left are marked done
-- on the way. finished: nothing is left to do (step is then NULL).
CREATE FUNCTION app.retention_next_batch(run_id bigint)
RETURNS TABLE (step text, archived bigint, purged bigint, finished boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run public.retention_runs;
    current_table public.retention_run_tables;
    policy public.data_retention_policies;
    used bigint;
    budget integer;
    did boolean;
    got_archived bigint;
    got_purged bigint;
    moved_to timestamptz;
    purged_to timestamptz;
BEGIN
    SELECT * INTO run FROM public.retention_runs r WHERE r.id = retention_next_batch.run_id;
    IF NOT FOUND OR run.outcome <> 'running' OR run.backend_pid <> pg_backend_pid() THEN
        RAISE EXCEPTION 'retention run % is not running in this session', retention_next_batch.run_id;
    END IF;
    -- the audit trigger leaves this batch's moves to retention_runs (see app.audit_row)
    UPDATE public.retention_runs r SET batch_xact = pg_current_xact_id() WHERE r.id = run.id;
    LOOP
        SELECT * INTO current_table FROM public.retention_run_tables t
         WHERE t.run_id = run.id AND t.state = 'pending' ORDER BY t.position LIMIT 1;
        IF NOT FOUND THEN
            UPDATE public.retention_runs r SET batch_xact = NULL WHERE r.id = run.id;
            RETURN QUERY SELECT NULL::text, 0::bigint, 0::bigint, true;
            RETURN;
        END IF;
        UPDATE public.retention_run_tables t SET started_at = coalesce(t.started_at, clock_timestamp())
         WHERE t.run_id = run.id AND t.table_name = current_table.table_name;
        SELECT * INTO policy FROM public.data_retention_policies p
         WHERE p.table_name = CASE WHEN current_table.table_name IN ('student_progress', 'student_feedback') THEN 'student_sessions'
                                   ELSE current_table.table_name END;
        budget := policy.batch_size;
        IF run.row_bound IS NOT NULL THEN
            SELECT coalesce(sum(t.archived + t.purged), 0) INTO used FROM public.retention_run_tables t
             WHERE t.run_id = run.id
               AND (t.table_name = current_table.table_name
                    OR (current_table.table_name = 'student_sessions' AND t.table_name IN ('student_progress', 'student_feedback')));
            budget := least(budget, greatest(run.row_bound - used, 0))::integer;
        END IF;
        did := false;
        moved_to := current_table.resume_move;
        purged_to := current_table.resume_purge;
        IF budget > 0 THEN
            CASE current_table.table_name
            WHEN 'student_sessions' THEN
                SELECT b.worked, b.archived, b.purged, b.next_move, b.next_purge INTO did, got_archived, got_purged, moved_to, purged_to
                  FROM app.retention_student_batch(run.id, run.as_of, policy, budget, NULL, moved_to, purged_to) b;
            WHEN 'student_progress', 'student_feedback' THEN
                SELECT b.worked, b.archived, b.purged, b.next_move, b.next_purge INTO did, got_archived, got_purged, moved_to, purged_to
                  FROM app.retention_student_batch(run.id, run.as_of, policy, budget, current_table.table_name, moved_to, purged_to) b;
            WHEN 'classroom_sessions' THEN
                SELECT b.worked, b.archived, b.purged INTO did, got_archived, got_purged
                  FROM app.retention_classroom_session_batch(run.id, run.as_of, policy, budget) b;
            WHEN 'security_incidents' THEN
                SELECT b.worked, b.archived, b.purged INTO did, got_archived, got_purged
                  FROM app.retention_incident_batch(run.id, run.as_of, policy, budget) b;
            WHEN 'audit_log' THEN
                -- one transaction (the function) detaches last of all: the lock lasts until it ends
                SELECT b.worked, b.archived, b.purged INTO did, got_archived, got_purged
                  FROM app.retention_audit_batch(run.id, run.as_of, policy, budget, run.started_by <> 'function') b;
            ELSE
                SELECT b.worked, b.archived, b.purged INTO did, got_archived, got_purged
                  FROM app.retention_purge_batch(run.id, current_table.table_name, run.as_of, policy, budget) b;
            END CASE;
        END IF;
        IF NOT coalesce(did, false) THEN
            UPDATE public.retention_run_tables t SET state = 'done', finished_at = clock_timestamp()
             WHERE t.run_id = run.id
               AND (t.table_name = current_table.table_name
                    OR (current_table.table_name = 'student_sessions' AND t.table_name IN ('student_progress', 'student_feedback')));
            CONTINUE;
        END IF;
        UPDATE public.retention_run_tables t
           SET archived = t.archived + got_archived, purged = t.purged + got_purged, batches = t.batches + 1,
               resume_move = moved_to, resume_purge = purged_to
         WHERE t.run_id = run.id AND t.table_name = current_table.table_name;
        UPDATE public.retention_runs r SET batch_xact = NULL WHERE r.id = run.id;
        RETURN QUERY SELECT current_table.table_name, got_archived, got_purged, false;
        RETURN;
    END LOOP;
END
$$;

-- Ends a run: succeeded, or failed with error (the table at work failed, those after it were
-- skipped); releases the session's retention lock. Returns each table: rows archived and purged,
-- batches, its state, and how many rows are still due (a bounded run, or one that failed).
CREATE FUNCTION app.retention_close(run_id bigint, error text)
RETURNS TABLE (table_name text, archived bigint, purged bigint, still_eligible bigint, batches integer, state text,
               duration interval)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run public.retention_runs;
    failed_table text;
BEGIN
    SELECT * INTO run FROM public.retention_runs r WHERE r.id = retention_close.run_id;
    IF NOT FOUND OR run.outcome <> 'running' OR run.backend_pid <> pg_backend_pid() THEN
        RAISE EXCEPTION 'retention run % is not running in this session', retention_close.run_id;
    END IF;
    IF error IS NOT NULL THEN
        SELECT t.table_name INTO failed_table FROM public.retention_run_tables t
         WHERE t.run_id = run.id AND t.state = 'pending' ORDER BY t.position LIMIT 1;
        UPDATE public.retention_run_tables t
           SET state = CASE WHEN t.table_name = failed_table THEN 'failed' ELSE 'skipped' END, finished_at = clock_timestamp()
         WHERE t.run_id = run.id AND t.state = 'pending';
    END IF;
    UPDATE public.retention_runs r
       SET outcome = CASE WHEN retention_close.error IS NULL THEN 'succeeded' ELSE 'failed' END,
           finished_at = clock_timestamp(), error = left(retention_close.error, 4000)
     WHERE r.id = run.id;
    IF run.started_by <> 'function' THEN
        PERFORM pg_advisory_unlock(48480015);
    END IF;
    RETURN QUERY
    SELECT t.table_name, t.archived, t.purged, d.eligible + d.expired, t.batches, t.state, t.finished_at - t.started_at
      FROM public.retention_run_tables t, LATERAL app.retention_due(t.table_name, run.as_of) d
     WHERE t.run_id = run.id
     ORDER BY t.position;
END
$$;

-- One batch for a driver that must go on after a failure (the procedure, which cannot catch an
-- error around a COMMIT): the batch's work is undone, and the error comes back as a value.
CREATE FUNCTION app.retention_try_batch(run_id bigint)
RETURNS TABLE (step text, archived bigint, purged bigint, finished boolean, error text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY SELECT b.step, b.archived, b.purged, b.finished, NULL::text FROM app.retention_next_batch(run_id) b;
EXCEPTION WHEN OTHERS THEN
    RETURN QUERY SELECT NULL::text, 0::bigint, 0::bigint, false, SQLERRM;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The deployment guide's interface.

-- SELECT * FROM execute_data_retention_policy();                     every governed table
-- SELECT * FROM execute_data_retention_policy('student_feedback');   one (see app.retention_scope)
-- One transaction: it stops each table after max_rows rows (and the audit log after one month)
-- and says how many are still eligible; CALL run_data_retention() works off a backlog. as_of
-- (default now()) may lie in the past, never ahead. dry_run changes nothing and says what a run
-- would do.
CREATE FUNCTION public.execute_data_retention_policy(only_table text DEFAULT NULL, as_of timestamptz DEFAULT NULL,
                                                     dry_run boolean DEFAULT false, max_rows bigint DEFAULT 100000)
RETURNS TABLE (table_name text, archived bigint, purged bigint, still_eligible bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    moment constant timestamptz := coalesce(execute_data_retention_policy.as_of, now());
    run bigint;
    batch record;
    detached bigint;
    names text[];
    archived_rows bigint[];
    purged_rows bigint[];
    eligible_rows bigint[];
    k integer;
BEGIN
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'max_rows must be at least 1, not %', coalesce(max_rows::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF dry_run THEN
        PERFORM app.require_past(moment);
        RETURN QUERY
        SELECT u.t, least(d.eligible, max_rows), least(d.expired, greatest(max_rows - d.eligible, 0)),
               d.eligible + d.expired - least(d.eligible, max_rows) - least(d.expired, greatest(max_rows - d.eligible, 0))
          FROM unnest(app.retention_scope(only_table)) WITH ORDINALITY AS u(t, o), LATERAL app.retention_due(u.t, moment) d
         ORDER BY u.o;
        RETURN;
    END IF;
    run := app.retention_open(only_table, moment, 'function', max_rows);
    LOOP
        SELECT * INTO batch FROM app.retention_next_batch(run);
        EXIT WHEN batch.finished;
    END LOOP;
    SELECT array_agg(c.table_name ORDER BY c.o), array_agg(c.archived ORDER BY c.o), array_agg(c.purged ORDER BY c.o),
           array_agg(c.still_eligible ORDER BY c.o)
      INTO names, archived_rows, purged_rows, eligible_rows
      FROM app.retention_close(run, NULL) WITH ORDINALITY AS c(table_name, archived, purged, still_eligible, batches, state, duration, o);
    -- last of all, a month of the audit log: its DETACH locks audit_log until this transaction ends
    k := array_position(names, 'audit_log');
    IF k IS NOT NULL THEN
        SELECT b.archived INTO detached
          FROM public.data_retention_policies p,
               LATERAL app.retention_audit_batch(run, moment, p, p.batch_size, true) b
         WHERE p.table_name = 'audit_log' AND b.method = 'partition';
        IF detached IS NOT NULL THEN
            UPDATE public.retention_run_tables t SET archived = t.archived + detached, batches = t.batches + 1
             WHERE t.run_id = run AND t.table_name = 'audit_log';
            archived_rows[k] := archived_rows[k] + detached;
            eligible_rows[k] := eligible_rows[k] - detached;
        END IF;
    END IF;
    RETURN QUERY SELECT u.n, u.a, u.p, u.e FROM unnest(names, archived_rows, purged_rows, eligible_rows) AS u(n, a, p, e);
END
$$;

-- CALL run_data_retention();                           every governed table, until nothing is due
-- CALL run_data_retention('audit_log');                one table
-- CALL run_data_retention(as_of => now() - interval '1 day');
-- Commits after every batch, so a backlog of any size moves without a long transaction, and a
-- crash loses nothing (the next run goes on). Run it outside a transaction block (psql's
-- autocommit, as cron does). It runs as its caller (a procedure that commits can be neither
-- SECURITY DEFINER nor carry SET), so it names every object by schema; the batches run as the owner.
CREATE PROCEDURE public.run_data_retention(only_table text DEFAULT NULL, as_of timestamptz DEFAULT NULL, INOUT run_id bigint DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    batch record;
    failure text;
    batches integer := 0;
BEGIN
    run_id := app.retention_open(only_table, as_of, 'procedure', NULL);
    COMMIT;
    LOOP
        SELECT * INTO batch FROM app.retention_try_batch(run_id);
        IF batch.error IS NOT NULL THEN
            failure := batch.error;
            EXIT;
        END IF;
        EXIT WHEN batch.finished;
        batches := batches + 1;
        RAISE NOTICE 'retention run %, batch %: %: archived %, purged %', run_id, batches, batch.step, batch.archived, batch.purged;
        COMMIT;
    END LOOP;
    PERFORM app.retention_close(run_id, failure);
    COMMIT;
    IF failure IS NOT NULL THEN
        RAISE EXCEPTION 'retention run % failed: %', run_id, failure
            USING HINT = 'Every batch before the failure is committed; see retention_run_tables, then run it again.';
    END IF;
END
$$;

-- Per table: rows live, eligible now, archived, due for deletion, the oldest live and archived
-- times, and the last run of it with its outcome.
CREATE FUNCTION public.get_retention_status()
RETURNS TABLE (table_name text, enabled boolean, live_period interval, total_period interval, archive_table text,
               live_rows bigint, eligible_now bigint, archived_rows bigint, due_for_deletion bigint,
               oldest_live timestamptz, oldest_archived timestamptz, last_run_at timestamptz, last_outcome text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    governed constant text[] := app.retention_tables();
    -- each table's time of creation, for its oldest row, in the order of app.retention_tables()
    clocks constant text[] := ARRAY['created_at', 'started_at', 'submitted_at', 'started_at', 'created_at', 'retired_at',
                                    'created_at', 'attempted_at', 'started_at', 'occurred_at'];
    t text;
    i integer := 0;
    policy public.data_retention_policies;
    live_count bigint;
    live_oldest timestamptz;
    archive_count bigint;
    archive_oldest timestamptz;
    due record;
    last_run record;
BEGIN
    FOREACH t IN ARRAY governed LOOP
        i := i + 1;
        SELECT * INTO policy FROM public.data_retention_policies p
         WHERE p.table_name = CASE WHEN t IN ('student_progress', 'student_feedback') THEN 'student_sessions' ELSE t END;
        EXECUTE format('SELECT count(*), min(%I) FROM public.%I', clocks[i], t) INTO live_count, live_oldest;
        archive_count := NULL;
        archive_oldest := NULL;
        IF policy.archive_table IS NOT NULL THEN
            EXECUTE format('SELECT count(*), min(%I) FROM public.%I', clocks[i], t || '_archive') INTO archive_count, archive_oldest;
        END IF;
        SELECT * INTO due FROM app.retention_due(t, now());
        SELECT r.started_at, r.outcome INTO last_run
          FROM public.retention_run_tables rt JOIN public.retention_runs r ON r.id = rt.run_id
         WHERE rt.table_name = t ORDER BY r.id DESC LIMIT 1;
        RETURN QUERY SELECT t, policy.enabled, policy.live_period, policy.total_period,
                            CASE WHEN policy.archive_table IS NULL THEN NULL ELSE t || '_archive' END,
                            live_count, due.eligible, archive_count, due.expired, live_oldest, archive_oldest,
                            last_run.started_at, last_run.outcome;
    END LOOP;
END
$$;

-- Per UTC day from period_start to the day before period_end, and per table: rows archived and
-- purged, runs, and failed runs (failed or interrupted).
CREATE FUNCTION public.generate_retention_report(period_start date, period_end date)
RETURNS TABLE (day date, table_name text, archived bigint, purged bigint, runs bigint, failed_runs bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF period_start IS NULL OR period_end IS NULL OR period_end < period_start THEN
        RAISE EXCEPTION 'the report needs a start and an end no earlier than it, not % to %', period_start, period_end
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT (r.started_at AT TIME ZONE 'UTC')::date, t.table_name, sum(t.archived)::bigint, sum(t.purged)::bigint, count(*),
           count(*) FILTER (WHERE r.outcome IN ('failed', 'interrupted'))
      FROM public.retention_runs r JOIN public.retention_run_tables t ON t.run_id = r.id
     WHERE r.started_at >= period_start::timestamp AT TIME ZONE 'UTC' AND r.started_at < period_end::timestamp AT TIME ZONE 'UTC'
     GROUP BY 1, 2
     ORDER BY 1, 2;
END
$$;

-- Whether rows of a table have waited more than two days past their period: the health check's
-- probe, one indexed lookup per question.
CREATE FUNCTION app.retention_overdue(table_name text, as_of timestamptz)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    grace constant interval := interval '2 days';
    policy public.data_retention_policies;
BEGIN
    SELECT * INTO policy FROM public.data_retention_policies p WHERE p.table_name = retention_overdue.table_name;
    IF NOT FOUND OR NOT policy.enabled THEN
        RETURN false;
    END IF;
    CASE table_name
    WHEN 'student_sessions' THEN
        RETURN EXISTS (SELECT 1 FROM app.retention_past_sessions(as_of - policy.live_period - grace, 1))
            OR EXISTS (SELECT 1 FROM app.retention_expired_sessions(as_of - policy.total_period - grace, 1));
    WHEN 'classroom_sessions' THEN
        RETURN EXISTS (SELECT 1 FROM app.retention_past_classroom_sessions(as_of - policy.live_period - grace, 1))
            OR EXISTS (SELECT 1 FROM app.retention_expired_rows('classroom_sessions_archive', as_of - policy.total_period - grace, 1));
    WHEN 'security_incidents' THEN
        RETURN EXISTS (SELECT 1 FROM app.retention_past_incidents(as_of - policy.live_period - grace, as_of - policy.total_period - grace, 1))
            OR EXISTS (SELECT 1 FROM app.retention_expired_rows('security_incidents_archive', as_of - policy.total_period - grace, 1));
    WHEN 'audit_log' THEN
        RETURN EXISTS (SELECT 1 FROM public.audit_log a
                        WHERE a.occurred_at < app.retention_month_floor(as_of - policy.live_period - grace) AT TIME ZONE 'UTC')
            OR EXISTS (SELECT 1 FROM public.audit_log_archive a
                        WHERE a.occurred_at < app.retention_month_floor(as_of - policy.total_period - grace) AT TIME ZONE 'UTC');
    ELSE
        RETURN EXISTS (SELECT 1 FROM app.retention_expired_rows(table_name, as_of - policy.total_period - grace, 1));
    END CASE;
END
$$;

-- Each policy with its last run: what the DBA and the server's /health read.
CREATE VIEW retention_policy_status AS
SELECT p.table_name, p.enabled, p.clock_column, p.live_period, p.total_period, p.archive_table, p.batch_size,
       last_run.started_at AS last_run_at, last_run.outcome AS last_outcome, last_run.archived AS last_archived,
       last_run.purged AS last_purged, last_success.finished_at AS last_success_at,
       app.retention_overdue(p.table_name, now()) AS waiting_past_period
  FROM public.data_retention_policies p
  LEFT JOIN LATERAL (SELECT r.started_at, r.outcome, t.archived, t.purged
                       FROM public.retention_run_tables t JOIN public.retention_runs r ON r.id = t.run_id
                      WHERE t.table_name = p.table_name ORDER BY r.id DESC LIMIT 1) last_run ON true
  LEFT JOIN LATERAL (SELECT r.finished_at
                       FROM public.retention_run_tables t JOIN public.retention_runs r ON r.id = t.run_id
                      WHERE t.table_name = p.table_name AND r.outcome = 'succeeded' ORDER BY r.id DESC LIMIT 1) last_success ON true;
COMMENT ON VIEW retention_policy_status IS 'Each retention policy, its last run, and whether rows have waited more than two days past their period';

REVOKE ALL ON FUNCTION app.retention_past_sessions(timestamptz, bigint, timestamptz, text),
    app.retention_expired_sessions(timestamptz, bigint, timestamptz),
    app.retention_past_classroom_sessions(timestamptz, bigint), app.retention_past_incidents(timestamptz, timestamptz, bigint),
    app.retention_expired_rows(text, timestamptz, bigint), app.retention_audit_months(regclass), app.retention_month_floor(timestamptz),
    app.retention_tables(), app.retention_scope(text), app.retention_due(text, timestamptz),
    app.retention_student_batch(bigint, timestamptz, public.data_retention_policies, integer, text, timestamptz, timestamptz),
    app.retention_classroom_session_batch(bigint, timestamptz, public.data_retention_policies, integer),
    app.retention_incident_batch(bigint, timestamptz, public.data_retention_policies, integer),
    app.retention_purge_batch(bigint, text, timestamptz, public.data_retention_policies, integer),
    app.ensure_audit_archive_partition(timestamp),
    app.retention_alter_briefly(text),
    app.retention_audit_batch(bigint, timestamptz, public.data_retention_policies, integer, boolean),
    app.retention_count(bigint, text, bigint, bigint), app.retention_lock_holder(), app.retention_overdue(text, timestamptz),
    app.retention_open(text, timestamptz, text, bigint), app.retention_next_batch(bigint), app.retention_close(bigint, text),
    app.retention_try_batch(bigint),
    public.execute_data_retention_policy(text, timestamptz, boolean, bigint), public.get_retention_status(),
    public.generate_retention_report(date, date) FROM PUBLIC;
REVOKE ALL ON PROCEDURE public.run_data_retention(text, timestamptz, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.retention_open(text, timestamptz, text, bigint), app.retention_next_batch(bigint),
    app.retention_close(bigint, text), app.retention_try_batch(bigint),
    public.execute_data_retention_policy(text, timestamptz, boolean, bigint), public.get_retention_status(),
    public.generate_retention_report(date, date) TO application_role;
GRANT EXECUTE ON PROCEDURE public.run_data_retention(text, timestamptz, bigint) TO application_role;
GRANT EXECUTE ON FUNCTION app.retention_overdue(text, timestamptz), app.retention_tables() TO application_role, readonly_role;
GRANT SELECT ON retention_policy_status TO application_role, readonly_role;
