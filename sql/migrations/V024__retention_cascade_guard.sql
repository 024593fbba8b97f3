-- A batch of student sessions no longer probes, session by session, that none of its children is
-- left before the sessions go (the guard of V014, NOT EXISTS in the sessions' DELETE). The foreign
-- keys' cascade probes the same index entries again for every session, so the guard doubled that
-- work, and it was not tight: a child committed while the DELETE waited for its session's row was
-- invisible to the guard's snapshot, and the cascade deleted it unarchived. Now, while a batch
-- deletes its sessions, a cascade that would delete a child of one of them raises instead
-- (SQLSTATE 40001: the application's TransactionRunner runs the batch again, and it chooses the
-- session with its new child, or leaves it for its new activity; a DBA's CALL reruns). The triggers
-- fire only for a row the cascade really deletes, and their WHEN clause costs a comparison for
-- every other delete of a child (pg_trigger_depth() is 0 outside a trigger). They are AFTER
-- triggers: a BEFORE ROW DELETE trigger makes PostgreSQL lock every row before it deletes it, a
-- second WAL record per row, which made the batches slower than the guard (18.7 s against 16 s for
-- a million rows). Measured with heroes-bench's RetentionMoveBench (see its README).

CREATE FUNCTION app.retention_cascade_refused() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% row % of student session % appeared while retention archived its session: the batch is undone',
                    TG_TABLE_NAME, OLD.id, OLD.student_session_id
        USING ERRCODE = 'serialization_failure',
              HINT = 'Run retention again: the session moves with its new row, or stays for its new activity.';
END
$$;
REVOKE ALL ON FUNCTION app.retention_cascade_refused() FROM PUBLIC;

CREATE TRIGGER student_progress_retention_cascade AFTER DELETE ON student_progress FOR EACH ROW
    WHEN (pg_trigger_depth() > 0 AND current_setting('heroes.retention_cascade', true) = 'refused')
    EXECUTE FUNCTION app.retention_cascade_refused();
CREATE TRIGGER student_feedback_retention_cascade AFTER DELETE ON student_feedback FOR EACH ROW
    WHEN (pg_trigger_depth() > 0 AND current_setting('heroes.retention_cascade', true) = 'refused')
    EXECUTE FUNCTION app.retention_cascade_refused();

CREATE OR REPLACE FUNCTION app.retention_student_batch(run_id bigint, as_of timestamptz, policy public.data_retention_policies,
                                            batch_size integer, only_child text, resume_move timestamptz, resume_purge timestamptz)
RETURNS TABLE (worked boolean, archived bigint, purged bigint, next_move timestamptz, next_purge timestamptz)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- every statement here reaches rows by key (see app.retention_past_sessions), with no parallel workers (V015)
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
SET max_parallel_workers_per_gather = 0
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
            -- the children are gone in this same transaction; should one have appeared since, the
            -- cascade that would delete it raises instead (app.retention_cascade_refused), undoing the batch
            PERFORM set_config('heroes.retention_cascade', 'refused', true);
            WITH moved AS (DELETE FROM public.student_sessions s WHERE s.id = ANY (ids) RETURNING s.*)
            INSERT INTO public.student_sessions_archive (id, classroom_id, session_token_hash, demographic_data, created_at, expires_at,
                                                         last_seen_at, ended_at, archived_at, retention_run_id)
            SELECT m.id, m.classroom_id, m.session_token_hash, m.demographic_data, m.created_at, m.expires_at,
                   m.last_seen_at, m.ended_at, now(), run_id
              FROM moved m;
            GET DIAGNOSTICS session_count = ROW_COUNT;
            PERFORM set_config('heroes.retention_cascade', '', true);
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
