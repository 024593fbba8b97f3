-- Issue 18: the nightly analytics refresh in proportion to the day's data, not to whole months.
--
-- Each rollup cell is now the sum of per-classroom parts (app.analytics_*_part: counts per
-- classroom, never an id of a child): a student session belongs to one classroom, so a cell's
-- distinct sessions are the sum of its classrooms' distinct sessions, and its distinct classrooms
-- are the classrooms with a part in it. The nightly refresh rebuilds the parts of the classrooms
-- (and their lessons) that received rows since the last refresh (a day of overlap for transactions
-- that committed late), then only the cells those parts are in, from the parts: exact, idempotent,
-- and a day's refresh reads a day's classrooms. A refresh of days (refresh_analytics(from, to))
-- rebuilds every part and cell of the periods that overlap them, whole, as before. Progress is
-- found by recorded_at and feedback by received_at (new here), the server's times: a tablet that
-- syncs a week late is found by the next refresh, whatever the tablet's own time.
--
-- Parts of periods before the raw rows' total retention are never rebuilt (their rows are gone)
-- and are deleted; the rollups keep those periods' counts.

-- rows stored before: -infinity (a constant default, so no rewrite of the table), found by no refresh's "since"
ALTER TABLE student_feedback ADD COLUMN received_at timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE student_feedback ALTER COLUMN received_at SET DEFAULT now();
COMMENT ON COLUMN student_feedback.received_at IS 'When the server stored the row (submitted_at is the tablet''s time); -infinity for rows stored before V027';
-- an archived row is the row, column for column: the retention batch of V024, moving received_at too
ALTER TABLE student_feedback_archive ADD COLUMN received_at timestamptz NOT NULL DEFAULT '-infinity';
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
                                                         mood, answers, submitted_at, idempotency_key, received_at, archived_at,
                                                         retention_run_id)
            SELECT m.id, m.student_session_id, m.classroom_id, m.lesson_id, m.classroom_session_id, m.rating,
                   m.mood, m.answers, m.submitted_at, m.idempotency_key, m.received_at, now(), run_id
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

CREATE INDEX student_progress_recorded_at_idx ON student_progress USING brin (recorded_at);
CREATE INDEX student_feedback_received_at_idx ON student_feedback USING brin (received_at);
CREATE INDEX classroom_sessions_started_at_idx ON classroom_sessions (started_at);
CREATE INDEX classroom_sessions_archive_started_at_idx ON classroom_sessions_archive (started_at);
CREATE INDEX student_progress_archive_classroom_id_lesson_id_idx ON student_progress_archive (classroom_id, lesson_id);

CREATE TABLE app.analytics_join_part (
    classroom_id uuid NOT NULL,
    month date NOT NULL,
    grade_level integer NOT NULL,
    age_range text NOT NULL,
    sessions integer NOT NULL CHECK (sessions > 0),
    PRIMARY KEY (classroom_id, month, grade_level, age_range)
);
CREATE INDEX analytics_join_part_cell_idx ON app.analytics_join_part (month, grade_level, age_range);

CREATE TABLE app.analytics_lesson_part (
    classroom_id uuid NOT NULL,
    lesson_number integer NOT NULL,
    month date NOT NULL,
    grade_level integer NOT NULL,
    age_range text NOT NULL,
    sessions_started integer NOT NULL CHECK (sessions_started > 0),
    sessions_completed integer NOT NULL CHECK (sessions_completed BETWEEN 0 AND sessions_started),
    PRIMARY KEY (classroom_id, lesson_number, month, grade_level, age_range)
);
CREATE INDEX analytics_lesson_part_cell_idx ON app.analytics_lesson_part (lesson_number, grade_level, age_range, month);
CREATE INDEX analytics_lesson_part_month_idx ON app.analytics_lesson_part (month);

CREATE TABLE app.analytics_feedback_part (
    classroom_id uuid NOT NULL,
    lesson_number integer NOT NULL,
    month date NOT NULL,
    measure text NOT NULL,
    question_key text NOT NULL,
    option text NOT NULL,
    sessions integer NOT NULL CHECK (sessions > 0),
    PRIMARY KEY (classroom_id, lesson_number, month, measure, question_key, option)
);
CREATE INDEX analytics_feedback_part_cell_idx ON app.analytics_feedback_part (month, lesson_number);

-- student sessions active (progress begun or feedback given) per classroom and week
CREATE TABLE app.analytics_active_part (
    classroom_id uuid NOT NULL,
    week date NOT NULL,
    sessions integer NOT NULL CHECK (sessions > 0),
    PRIMARY KEY (classroom_id, week)
);
CREATE INDEX analytics_active_part_week_idx ON app.analytics_active_part (week);

COMMENT ON TABLE app.analytics_join_part IS 'Analytics: joins per classroom, month, grade and age range; the rollup''s cells are their sums';
COMMENT ON TABLE app.analytics_lesson_part IS 'Analytics: lessons begun and completed per classroom, lesson, month, grade and age range';
COMMENT ON TABLE app.analytics_feedback_part IS 'Analytics: feedback options chosen per classroom, lesson and month';
COMMENT ON TABLE app.analytics_active_part IS 'Analytics: student sessions active per classroom and week';

-- Rebuilds the parts of the touched groups within the periods given (the temporary tables
-- analytics_touched_lessons and analytics_touched_feedback (classroom_id, lesson_id),
-- analytics_touched_joins and analytics_touched_active (classroom_id), analytics_touched_weeks
-- (week), filled by the caller), then the rollup cells those parts are in, from the parts; with
-- whole_periods, every cell of the periods. Returns, per rollup, the periods and cells
-- recomputed (whole_periods: the periods in the range and the cells they hold).
CREATE FUNCTION app.analytics_rebuild(kept_month date, first_month date, last_month date, first_week date, last_week date,
                                      whole_periods boolean)
RETURNS TABLE (rollup text, periods integer, cells integer)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    range_start constant timestamptz := first_month::timestamp AT TIME ZONE 'UTC';
    range_end constant timestamptz := (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    months integer := CASE WHEN last_month < first_month THEN 0
                           ELSE (extract(year FROM age(last_month, first_month)) * 12 + extract(month FROM age(last_month, first_month)))::integer + 1 END;
BEGIN
    -- joins
    CREATE TEMPORARY TABLE analytics_join_cells ON COMMIT DROP AS
    SELECT p.month, p.grade_level, p.age_range FROM app.analytics_join_part p
     WHERE p.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_joins t) AND p.month BETWEEN first_month AND last_month;
    DELETE FROM app.analytics_join_part p USING analytics_touched_joins t
     WHERE p.classroom_id = t.classroom_id AND p.month BETWEEN first_month AND last_month;
    WITH built AS (
        INSERT INTO app.analytics_join_part (classroom_id, month, grade_level, age_range, sessions)
        SELECT s.classroom_id, date_trunc('month', s.created_at AT TIME ZONE 'UTC')::date, (s.demographic_data ->> 'grade_level')::integer,
               s.demographic_data ->> 'age_range', count(*)
          FROM (SELECT l.classroom_id, l.demographic_data, l.created_at FROM public.student_sessions l
                 WHERE l.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_joins t)
                UNION ALL
                SELECT a.classroom_id, a.demographic_data, a.created_at FROM public.student_sessions_archive a
                 WHERE a.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_joins t)) s
         WHERE s.created_at >= range_start AND s.created_at < range_end
         GROUP BY 1, 2, 3, 4
        RETURNING month, grade_level, age_range
    )
    INSERT INTO analytics_join_cells SELECT b.month, b.grade_level, b.age_range FROM built b;
    IF whole_periods THEN
        INSERT INTO analytics_join_cells
        SELECT r.month, r.grade_level, r.age_range FROM public.analytics_join_rollup r WHERE r.month BETWEEN first_month AND last_month
        UNION ALL
        SELECT p.month, p.grade_level, p.age_range FROM app.analytics_join_part p WHERE p.month BETWEEN first_month AND last_month;
    END IF;
    ANALYZE analytics_join_cells;
    DELETE FROM public.analytics_join_rollup r USING analytics_join_cells c
     WHERE (r.month, r.grade_level, r.age_range) = (c.month, c.grade_level, c.age_range);
    INSERT INTO public.analytics_join_rollup (month, grade_level, age_range, sessions, classrooms)
    SELECT p.month, p.grade_level, p.age_range, sum(p.sessions), count(*)
      FROM app.analytics_join_part p
     WHERE (p.month, p.grade_level, p.age_range) IN (SELECT c.month, c.grade_level, c.age_range FROM analytics_join_cells c)
     GROUP BY 1, 2, 3;
    RETURN QUERY SELECT 'analytics_join_rollup',
        CASE WHEN whole_periods THEN months ELSE (SELECT count(DISTINCT c.month)::integer FROM analytics_join_cells c) END,
        CASE WHEN whole_periods THEN (SELECT count(*)::integer FROM public.analytics_join_rollup r WHERE r.month BETWEEN first_month AND last_month)
             ELSE (SELECT count(*)::integer FROM (SELECT DISTINCT * FROM analytics_join_cells) c
                    WHERE EXISTS (SELECT 1 FROM public.analytics_join_rollup r
                                   WHERE (r.month, r.grade_level, r.age_range) = (c.month, c.grade_level, c.age_range))) END;

    -- lessons: each (session, lesson) of a touched classroom and lesson, in the month of its first
    -- progress row, completed when every content item of the lesson is
    CREATE TEMPORARY TABLE analytics_lesson_cells ON COMMIT DROP AS
    SELECT p.month, p.lesson_number, p.grade_level, p.age_range FROM app.analytics_lesson_part p
      JOIN public.lessons l ON l.lesson_number = p.lesson_number
     WHERE (p.classroom_id, l.id) IN (SELECT t.classroom_id, t.lesson_id FROM analytics_touched_lessons t)
       AND p.month BETWEEN first_month AND last_month;
    DELETE FROM app.analytics_lesson_part p USING analytics_touched_lessons t, public.lessons l
     WHERE l.id = t.lesson_id AND p.classroom_id = t.classroom_id AND p.lesson_number = l.lesson_number
       AND p.month BETWEEN first_month AND last_month;
    WITH progress AS (
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, p.lesson_content_id, p.status, p.started_at
          FROM public.student_progress p JOIN analytics_touched_lessons t ON t.classroom_id = p.classroom_id AND t.lesson_id = p.lesson_id
        UNION ALL
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, p.lesson_content_id, p.status, p.started_at
          FROM public.student_progress_archive p JOIN analytics_touched_lessons t ON t.classroom_id = p.classroom_id AND t.lesson_id = p.lesson_id
    ), pairs AS (
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, min(p.started_at) AS began,
               count(DISTINCT p.lesson_content_id) FILTER (WHERE p.status = 'completed') AS items_completed
          FROM progress p GROUP BY 1, 2, 3
    ), sessions AS (
        SELECT l.id, l.demographic_data FROM public.student_sessions l
         WHERE l.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_lessons t)
        UNION ALL
        SELECT a.id, a.demographic_data FROM public.student_sessions_archive a
         WHERE a.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_lessons t)
    ), built AS (
        INSERT INTO app.analytics_lesson_part (classroom_id, lesson_number, month, grade_level, age_range, sessions_started, sessions_completed)
        SELECT pr.classroom_id, ls.lesson_number, date_trunc('month', pr.began AT TIME ZONE 'UTC')::date,
               (s.demographic_data ->> 'grade_level')::integer, s.demographic_data ->> 'age_range', count(*),
               count(*) FILTER (WHERE pr.items_completed >= (SELECT count(*) FROM public.lesson_content c WHERE c.lesson_id = pr.lesson_id))
          FROM pairs pr
          JOIN sessions s ON s.id = pr.student_session_id
          JOIN public.lessons ls ON ls.id = pr.lesson_id
         WHERE pr.began >= range_start AND pr.began < range_end
         GROUP BY 1, 2, 3, 4, 5
        RETURNING month, lesson_number, grade_level, age_range
    )
    INSERT INTO analytics_lesson_cells SELECT b.month, b.lesson_number, b.grade_level, b.age_range FROM built b;
    IF whole_periods THEN
        INSERT INTO analytics_lesson_cells
        SELECT r.month, r.lesson_number, r.grade_level, r.age_range FROM public.analytics_lesson_rollup r
         WHERE r.month BETWEEN first_month AND last_month
        UNION ALL
        SELECT p.month, p.lesson_number, p.grade_level, p.age_range FROM app.analytics_lesson_part p
         WHERE p.month BETWEEN first_month AND last_month;
    END IF;
    ANALYZE analytics_lesson_cells;
    DELETE FROM public.analytics_lesson_rollup r USING analytics_lesson_cells c
     WHERE (r.month, r.lesson_number, r.grade_level, r.age_range) = (c.month, c.lesson_number, c.grade_level, c.age_range);
    INSERT INTO public.analytics_lesson_rollup (month, lesson_number, grade_level, age_range, sessions_started, sessions_completed, classrooms)
    SELECT p.month, p.lesson_number, p.grade_level, p.age_range, sum(p.sessions_started), sum(p.sessions_completed), count(*)
      FROM app.analytics_lesson_part p
     WHERE (p.month, p.lesson_number, p.grade_level, p.age_range)
           IN (SELECT c.month, c.lesson_number, c.grade_level, c.age_range FROM analytics_lesson_cells c)
     GROUP BY 1, 2, 3, 4;
    RETURN QUERY SELECT 'analytics_lesson_rollup',
        CASE WHEN whole_periods THEN months ELSE (SELECT count(DISTINCT c.month)::integer FROM analytics_lesson_cells c) END,
        CASE WHEN whole_periods THEN (SELECT count(*)::integer FROM public.analytics_lesson_rollup r WHERE r.month BETWEEN first_month AND last_month)
             ELSE (SELECT count(*)::integer FROM (SELECT DISTINCT * FROM analytics_lesson_cells) c
                    WHERE EXISTS (SELECT 1 FROM public.analytics_lesson_rollup r
                                   WHERE (r.month, r.lesson_number, r.grade_level, r.age_range)
                                         = (c.month, c.lesson_number, c.grade_level, c.age_range))) END;

    -- lessons per term: the terms of those cells, whole, from the parts of all their months; never a
    -- term that began before the first month whose raw rows are all kept (its earlier months' parts are gone)
    CREATE TEMPORARY TABLE analytics_term_cells ON COMMIT DROP AS
    SELECT DISTINCT app.school_term(c.month) AS term_start, c.lesson_number, c.grade_level, c.age_range
      FROM analytics_lesson_cells c WHERE app.school_term(c.month) >= kept_month;
    IF whole_periods THEN
        INSERT INTO analytics_term_cells
        SELECT r.term_start, r.lesson_number, r.grade_level, r.age_range FROM public.analytics_lesson_term_rollup r
         WHERE r.term_start >= greatest(app.school_term(first_month), kept_month) AND r.term_start <= last_month;
    END IF;
    DELETE FROM public.analytics_lesson_term_rollup r USING analytics_term_cells c
     WHERE (r.term_start, r.lesson_number, r.grade_level, r.age_range) = (c.term_start, c.lesson_number, c.grade_level, c.age_range);
    INSERT INTO public.analytics_lesson_term_rollup (term_start, lesson_number, grade_level, age_range, sessions_started, sessions_completed,
                                                     classrooms)
    SELECT c.term_start, c.lesson_number, c.grade_level, c.age_range, sum(p.sessions_started), sum(p.sessions_completed),
           count(DISTINCT p.classroom_id)
      FROM (SELECT DISTINCT * FROM analytics_term_cells) c
      JOIN app.analytics_lesson_part p ON p.lesson_number = c.lesson_number AND p.grade_level = c.grade_level AND p.age_range = c.age_range
                                      AND p.month >= c.term_start AND p.month < app.school_term_end(c.term_start)
     GROUP BY 1, 2, 3, 4;
    RETURN QUERY SELECT 'analytics_lesson_term_rollup',
        (SELECT count(DISTINCT c.term_start)::integer FROM analytics_term_cells c),
        (SELECT count(*)::integer FROM (SELECT DISTINCT * FROM analytics_term_cells) c
          WHERE EXISTS (SELECT 1 FROM public.analytics_lesson_term_rollup r
                         WHERE (r.term_start, r.lesson_number, r.grade_level, r.age_range) = (c.term_start, c.lesson_number, c.grade_level, c.age_range)));

    -- feedback: the rating, the mood and each answered question, per option
    CREATE TEMPORARY TABLE analytics_feedback_cells ON COMMIT DROP AS
    SELECT p.month, p.lesson_number FROM app.analytics_feedback_part p
      JOIN public.lessons l ON l.lesson_number = p.lesson_number
     WHERE (p.classroom_id, l.id) IN (SELECT t.classroom_id, t.lesson_id FROM analytics_touched_feedback t)
       AND p.month BETWEEN first_month AND last_month;
    DELETE FROM app.analytics_feedback_part p USING analytics_touched_feedback t, public.lessons l
     WHERE l.id = t.lesson_id AND p.classroom_id = t.classroom_id AND p.lesson_number = l.lesson_number
       AND p.month BETWEEN first_month AND last_month;
    WITH feedback AS (
        SELECT f.student_session_id, f.classroom_id, f.lesson_id, f.rating, f.mood, f.answers, f.submitted_at
          FROM public.student_feedback f JOIN analytics_touched_feedback t ON t.classroom_id = f.classroom_id AND t.lesson_id = f.lesson_id
         WHERE f.submitted_at >= range_start AND f.submitted_at < range_end
        UNION ALL
        SELECT f.student_session_id, f.classroom_id, f.lesson_id, f.rating, f.mood, f.answers, f.submitted_at
          FROM public.student_feedback_archive f JOIN analytics_touched_feedback t ON t.classroom_id = f.classroom_id AND t.lesson_id = f.lesson_id
         WHERE f.submitted_at >= range_start AND f.submitted_at < range_end
    ), built AS (
        INSERT INTO app.analytics_feedback_part (classroom_id, lesson_number, month, measure, question_key, option, sessions)
        SELECT f.classroom_id, ls.lesson_number, date_trunc('month', f.submitted_at AT TIME ZONE 'UTC')::date, o.measure, o.question_key, o.option,
               count(DISTINCT f.student_session_id)
          FROM feedback f
          JOIN public.lessons ls ON ls.id = f.lesson_id
          CROSS JOIN LATERAL (SELECT 'rating', '', f.rating::text
                              UNION ALL SELECT 'mood', '', f.mood
                              UNION ALL SELECT 'answer', a.key, a.value FROM jsonb_each_text(f.answers) a) AS o (measure, question_key, option)
         GROUP BY 1, 2, 3, 4, 5, 6
        RETURNING month, lesson_number
    )
    INSERT INTO analytics_feedback_cells SELECT b.month, b.lesson_number FROM built b;
    IF whole_periods THEN
        INSERT INTO analytics_feedback_cells
        SELECT r.month, r.lesson_number FROM public.analytics_feedback_rollup r WHERE r.month BETWEEN first_month AND last_month
        UNION ALL
        SELECT p.month, p.lesson_number FROM app.analytics_feedback_part p WHERE p.month BETWEEN first_month AND last_month;
    END IF;
    ANALYZE analytics_feedback_cells;
    -- a month's lesson is recomputed whole: its options are partitions of the same children
    DELETE FROM public.analytics_feedback_rollup r USING analytics_feedback_cells c WHERE (r.month, r.lesson_number) = (c.month, c.lesson_number);
    INSERT INTO public.analytics_feedback_rollup (month, lesson_number, measure, question_key, option, sessions, classrooms)
    SELECT p.month, p.lesson_number, p.measure, p.question_key, p.option, sum(p.sessions), count(*)
      FROM (SELECT DISTINCT c.month, c.lesson_number FROM analytics_feedback_cells c) c
      JOIN app.analytics_feedback_part p ON p.month = c.month AND p.lesson_number = c.lesson_number
     GROUP BY 1, 2, 3, 4, 5;
    RETURN QUERY SELECT 'analytics_feedback_rollup',
        CASE WHEN whole_periods THEN months ELSE (SELECT count(DISTINCT c.month)::integer FROM analytics_feedback_cells c) END,
        (SELECT count(*)::integer FROM public.analytics_feedback_rollup r
          WHERE CASE WHEN whole_periods THEN r.month BETWEEN first_month AND last_month
                     ELSE (r.month, r.lesson_number) IN (SELECT c.month, c.lesson_number FROM analytics_feedback_cells c) END);

    -- engagement: the touched classrooms' active sessions per week, then each week touched whole
    -- (the lessons taught and their lengths from classroom_sessions, the active sessions from the parts)
    INSERT INTO analytics_touched_weeks
    SELECT p.week FROM app.analytics_active_part p
     WHERE p.classroom_id IN (SELECT t.classroom_id FROM analytics_touched_active t) AND p.week BETWEEN first_week AND last_week;
    DELETE FROM app.analytics_active_part p USING analytics_touched_active t
     WHERE p.classroom_id = t.classroom_id AND p.week BETWEEN first_week AND last_week;
    WITH built AS (
        INSERT INTO app.analytics_active_part (classroom_id, week, sessions)
        SELECT t.classroom_id, date_trunc('week', a.at AT TIME ZONE 'UTC')::date, count(DISTINCT a.student_session_id)
          FROM (SELECT DISTINCT x.classroom_id FROM analytics_touched_active x) t
          -- per classroom, so that each table is read by its classroom index (a semi-join read them whole)
          CROSS JOIN LATERAL (SELECT p.student_session_id, p.started_at AS at FROM public.student_progress p WHERE p.classroom_id = t.classroom_id
                              UNION ALL SELECT p.student_session_id, p.started_at FROM public.student_progress_archive p
                               WHERE p.classroom_id = t.classroom_id
                              UNION ALL SELECT f.student_session_id, f.submitted_at FROM public.student_feedback f WHERE f.classroom_id = t.classroom_id
                              UNION ALL SELECT f.student_session_id, f.submitted_at FROM public.student_feedback_archive f
                               WHERE f.classroom_id = t.classroom_id) a
         -- the weeks by an expression no index on the times serves: per classroom, its classroom index is the way in
         WHERE (a.at AT TIME ZONE 'UTC') >= first_week AND (a.at AT TIME ZONE 'UTC') < last_week + 7
         GROUP BY 1, 2
        RETURNING week
    )
    INSERT INTO analytics_touched_weeks SELECT b.week FROM built b;
    IF whole_periods THEN
        INSERT INTO analytics_touched_weeks
        SELECT r.week FROM public.analytics_engagement_rollup r WHERE r.week BETWEEN first_week AND last_week
        UNION ALL
        SELECT p.week FROM app.analytics_active_part p WHERE p.week BETWEEN first_week AND last_week;
    END IF;
    DELETE FROM analytics_touched_weeks w WHERE w.week < first_week OR w.week > last_week;
    DELETE FROM public.analytics_engagement_rollup r WHERE r.week IN (SELECT w.week FROM analytics_touched_weeks w);
    INSERT INTO public.analytics_engagement_rollup (week, lessons_taught, active_classrooms, student_sessions, duration_minutes)
    WITH weeks AS (
        SELECT DISTINCT w.week FROM analytics_touched_weeks w
    ), taught AS (
        SELECT date_trunc('week', cs.started_at AT TIME ZONE 'UTC')::date AS week, cs.classroom_id,
               least(floor(extract(epoch FROM cs.ended_at - cs.started_at) / 60), 240)::integer AS minutes
          FROM (SELECT l.classroom_id, l.started_at, l.ended_at FROM public.classroom_sessions l
                UNION ALL
                SELECT a.classroom_id, a.started_at, a.ended_at FROM public.classroom_sessions_archive a) cs
          JOIN weeks w ON cs.started_at >= w.week::timestamp AT TIME ZONE 'UTC' AND cs.started_at < (w.week + 7)::timestamp AT TIME ZONE 'UTC'
    ), lessons AS (
        SELECT t.week, count(*) AS taught, count(DISTINCT t.classroom_id) AS classrooms FROM taught t GROUP BY 1
    ), lengths AS (
        SELECT t.week, t.minutes, count(*)::integer AS lessons FROM taught t WHERE t.minutes IS NOT NULL GROUP BY 1, 2
    ), histograms AS (
        SELECT x.week, array_agg(coalesce(h.lessons, 0) ORDER BY m.minute) AS minutes
          FROM (SELECT l.week, max(l.minutes) AS longest FROM lengths l GROUP BY 1) x
          CROSS JOIN LATERAL generate_series(0, x.longest) AS m (minute)
          LEFT JOIN lengths h ON h.week = x.week AND h.minutes = m.minute
         GROUP BY 1
    ), active AS (
        SELECT p.week, sum(p.sessions) AS sessions FROM app.analytics_active_part p WHERE p.week IN (SELECT w.week FROM weeks w) GROUP BY 1
    )
    SELECT w.week, coalesce(l.taught, 0), coalesce(l.classrooms, 0), coalesce(a.sessions, 0), coalesce(h.minutes, '{}')
      FROM (SELECT l.week FROM lessons l UNION SELECT a.week FROM active a) w
      LEFT JOIN lessons l ON l.week = w.week
      LEFT JOIN active a ON a.week = w.week
      LEFT JOIN histograms h ON h.week = w.week;
    RETURN QUERY SELECT 'analytics_engagement_rollup',
        CASE WHEN whole_periods THEN greatest(0, ((last_week - first_week) / 7) + 1)
             ELSE (SELECT count(DISTINCT w.week)::integer FROM analytics_touched_weeks w) END,
        (SELECT count(*)::integer FROM public.analytics_engagement_rollup r
          WHERE CASE WHEN whole_periods THEN r.week BETWEEN first_week AND last_week
                     ELSE r.week IN (SELECT w.week FROM analytics_touched_weeks w) END);

    DROP TABLE analytics_join_cells, analytics_lesson_cells, analytics_term_cells, analytics_feedback_cells;
END
$$;

-- The month after a school term's last: terms are January to May, June and July, August to December.
CREATE FUNCTION app.school_term_end(term_start date)
RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE extract(month FROM term_start) WHEN 1 THEN make_date(extract(year FROM term_start)::integer, 6, 1)
                                               WHEN 6 THEN make_date(extract(year FROM term_start)::integer, 8, 1)
                                               ELSE make_date(extract(year FROM term_start)::integer + 1, 1, 1) END
$$;

-- The periods a refresh may rebuild: from the first month (and week) that starts on or after the
-- raw rows' total retention (3 years by the student sessions' policy): an earlier one's rows are gone.
CREATE FUNCTION app.analytics_kept_since()
RETURNS date
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (now() - coalesce((SELECT p.total_period FROM public.data_retention_policies p WHERE p.table_name = 'student_sessions'),
                             interval '3 years'))::date
$$;

DROP FUNCTION public.refresh_analytics(date, date);
DROP FUNCTION app.analytics_refresh_periods(date, date);
DROP FUNCTION app.analytics_lesson_pairs(timestamptz);
ALTER TABLE analytics_settings DROP COLUMN recompute_days;
-- the parts start empty: the next refresh rebuilds every period whose raw rows are kept
UPDATE analytics_settings SET refreshed_at = NULL;

-- refresh_analytics(): the nightly refresh, by classroom (the groups that received rows since the
-- last refresh, a day of overlap); the first one rebuilds every period whose raw rows are kept.
-- refresh_analytics(from, to): every period that overlaps the days, whole. One refresh at a time.
CREATE FUNCTION public.refresh_analytics(from_day date DEFAULT NULL, to_day date DEFAULT NULL)
RETURNS TABLE (rollup text, periods integer, cells integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kept_since constant date := app.analytics_kept_since();
    kept_month constant date := CASE WHEN date_trunc('month', kept_since) = kept_since THEN kept_since
                                     ELSE (date_trunc('month', kept_since) + interval '1 month')::date END;
    kept_week constant date := CASE WHEN date_trunc('week', kept_since) = kept_since THEN kept_since
                                    ELSE (date_trunc('week', kept_since) + interval '1 week')::date END;
    today constant date := (now() AT TIME ZONE 'UTC')::date;
    since timestamptz;
    whole boolean;
    first_month date;
    last_month date;
    first_week date;
    last_week date;
BEGIN
    IF (from_day IS NOT NULL OR to_day IS NOT NULL) AND (from_day IS NULL OR from_day > coalesce(to_day, today)) THEN
        RAISE EXCEPTION 'the days to refresh run from % to %: from must be on or before to', from_day, coalesce(to_day, today)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('heroes.analytics refresh'));
    SELECT s.refreshed_at - interval '1 day' INTO since FROM public.analytics_settings s;
    whole := from_day IS NOT NULL OR since IS NULL;
    IF whole THEN
        first_month := greatest(date_trunc('month', coalesce(from_day, kept_month))::date, kept_month);
        last_month := date_trunc('month', least(coalesce(to_day, today), today))::date;
        first_week := greatest(date_trunc('week', coalesce(from_day, kept_week))::date, kept_week);
        last_week := date_trunc('week', least(coalesce(to_day, today), today))::date;
    ELSE
        first_month := kept_month;
        last_month := date_trunc('month', today)::date;
        first_week := kept_week;
        last_week := date_trunc('week', today)::date;
    END IF;

    CREATE TEMPORARY TABLE analytics_touched_lessons (classroom_id uuid, lesson_id uuid) ON COMMIT DROP;
    CREATE TEMPORARY TABLE analytics_touched_feedback (classroom_id uuid, lesson_id uuid) ON COMMIT DROP;
    CREATE TEMPORARY TABLE analytics_touched_joins (classroom_id uuid) ON COMMIT DROP;
    CREATE TEMPORARY TABLE analytics_touched_active (classroom_id uuid) ON COMMIT DROP;
    CREATE TEMPORARY TABLE analytics_touched_weeks (week date) ON COMMIT DROP;
    IF whole THEN
        INSERT INTO analytics_touched_lessons
        SELECT p.classroom_id, p.lesson_id FROM public.student_progress p
         WHERE p.started_at >= first_month::timestamp AT TIME ZONE 'UTC' AND p.started_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        UNION
        SELECT p.classroom_id, p.lesson_id FROM public.student_progress_archive p
         WHERE p.started_at >= first_month::timestamp AT TIME ZONE 'UTC' AND p.started_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        INSERT INTO analytics_touched_feedback
        SELECT f.classroom_id, f.lesson_id FROM public.student_feedback f
         WHERE f.submitted_at >= first_month::timestamp AT TIME ZONE 'UTC' AND f.submitted_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        UNION
        SELECT f.classroom_id, f.lesson_id FROM public.student_feedback_archive f
         WHERE f.submitted_at >= first_month::timestamp AT TIME ZONE 'UTC' AND f.submitted_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        INSERT INTO analytics_touched_joins
        SELECT s.classroom_id FROM public.student_sessions s
         WHERE s.created_at >= first_month::timestamp AT TIME ZONE 'UTC' AND s.created_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        UNION
        SELECT s.classroom_id FROM public.student_sessions_archive s
         WHERE s.created_at >= first_month::timestamp AT TIME ZONE 'UTC' AND s.created_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        INSERT INTO analytics_touched_active
        SELECT a.classroom_id FROM (
            SELECT p.classroom_id, p.started_at AS at FROM public.student_progress p
            UNION ALL SELECT p.classroom_id, p.started_at FROM public.student_progress_archive p
            UNION ALL SELECT f.classroom_id, f.submitted_at FROM public.student_feedback f
            UNION ALL SELECT f.classroom_id, f.submitted_at FROM public.student_feedback_archive f) a
         WHERE a.at >= first_week::timestamp AT TIME ZONE 'UTC' AND a.at < (last_week + 7)::timestamp AT TIME ZONE 'UTC'
         GROUP BY 1;
    ELSE
        INSERT INTO analytics_touched_lessons SELECT DISTINCT p.classroom_id, p.lesson_id FROM public.student_progress p WHERE p.recorded_at >= since;
        INSERT INTO analytics_touched_feedback SELECT DISTINCT f.classroom_id, f.lesson_id FROM public.student_feedback f WHERE f.received_at >= since;
        INSERT INTO analytics_touched_joins SELECT DISTINCT s.classroom_id FROM public.student_sessions s WHERE s.created_at >= since;
        INSERT INTO analytics_touched_active
        SELECT t.classroom_id FROM analytics_touched_lessons t UNION SELECT t.classroom_id FROM analytics_touched_feedback t;
        INSERT INTO analytics_touched_weeks
        SELECT date_trunc('week', cs.started_at AT TIME ZONE 'UTC')::date FROM public.classroom_sessions cs
         WHERE cs.started_at >= since OR cs.ended_at >= since;
    END IF;
    ANALYZE analytics_touched_lessons, analytics_touched_feedback, analytics_touched_joins, analytics_touched_active;

    RETURN QUERY SELECT * FROM app.analytics_rebuild(kept_month, first_month, last_month, first_week, last_week, whole);

    -- parts of periods no refresh may rebuild any more: their rows are gone, and the rollups keep the counts
    DELETE FROM app.analytics_join_part p WHERE p.month < kept_month;
    DELETE FROM app.analytics_lesson_part p WHERE p.month < kept_month;
    DELETE FROM app.analytics_feedback_part p WHERE p.month < kept_month;
    DELETE FROM app.analytics_active_part p WHERE p.week < kept_week;
    IF from_day IS NULL THEN
        UPDATE public.analytics_settings SET refreshed_at = now();
    END IF;
    DROP TABLE analytics_touched_lessons, analytics_touched_feedback, analytics_touched_joins, analytics_touched_active, analytics_touched_weeks;
END
$$;

REVOKE ALL ON FUNCTION app.analytics_rebuild(date, date, date, date, date, boolean), app.analytics_kept_since(),
    public.refresh_analytics(date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION app.school_term_end(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.refresh_analytics(date, date) TO application_role;
