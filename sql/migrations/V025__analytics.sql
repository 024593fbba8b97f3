-- Analytics that never expose a child (the guide's "Analytics System"), first part: rollup tables of
-- counts only, a refresh that recomputes the periods that received rows, and the views
-- heroes_analytics reads, with suppression built in.
--
-- The rollups hold counts, never an id of anyone: a cell is a period, a lesson and a demographic
-- group (or a feedback option), with the distinct student sessions it describes and the distinct
-- classrooms they came from. They read the live and the archive tables alike, and retention never
-- touches them: the lesson statistics outlive the raw rows (3 years) by as long as the organisation
-- keeps them. A period is recomputed whole (delete, insert), so a rerun gives the same numbers.
--
-- The views publish a cell only when it describes at least k distinct student sessions (k in
-- analytics_settings, never below 5) drawn from at least min_classrooms classrooms (never below 2:
-- a teacher's class must not be readable from the analytics login); otherwise its count is NULL
-- and suppressed is true. No view has an id of a classroom, a facilitator or a session, a
-- classroom's name, or a time finer than a day. Within one lesson's feedback of a month, the
-- rating, the mood and each question's options are partitions of the same children: a lone
-- suppressed cell of one partition could be rebuilt from another partition's total, so each
-- partition with a suppressed cell suppresses its next smallest cells too, until at least two are
-- suppressed and they describe at least k sessions together. The views run as their owner, on
-- purpose (DESIGN.md): heroes_analytics may select them and the curriculum, nothing else.
--
-- Periods are calendar days, weeks (from Monday) and months, read in UTC.

CREATE TABLE analytics_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    k_anonymity integer NOT NULL DEFAULT 5 CHECK (k_anonymity >= 5),
    min_classrooms integer NOT NULL DEFAULT 2 CHECK (min_classrooms >= 2),
    -- the nightly refresh recomputes every period that overlaps these last days too: feedback and
    -- progress carry the tablet's own time, so a late sync lands in a past period
    recompute_days integer NOT NULL DEFAULT 45 CHECK (recompute_days BETWEEN 1 AND 3660),
    refreshed_at timestamptz
);
COMMENT ON TABLE analytics_settings IS 'Suppression (k >= 5 sessions, >= 2 classrooms per published cell) and the analytics refresh''s state';
INSERT INTO analytics_settings DEFAULT VALUES;
ALTER TABLE analytics_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY analytics_settings_read ON analytics_settings FOR SELECT TO application_role, readonly_role USING (true);
GRANT SELECT ON analytics_settings TO application_role, readonly_role;

-- Joins per month, by grade and age range.
CREATE TABLE analytics_join_rollup (
    month date NOT NULL CHECK (month = date_trunc('month', month)),
    grade_level integer NOT NULL CHECK (grade_level BETWEEN 4 AND 6),
    age_range text NOT NULL CHECK (age_range IN ('8-9', '10-11', '12-13')),
    sessions integer NOT NULL CHECK (sessions > 0),
    classrooms integer NOT NULL CHECK (classrooms BETWEEN 1 AND sessions),
    PRIMARY KEY (month, grade_level, age_range)
);

-- Lessons begun per month, by grade and age range: a student session begins a lesson with its
-- first progress row of it, and completes it when every content item of the lesson is completed.
CREATE TABLE analytics_lesson_rollup (
    month date NOT NULL CHECK (month = date_trunc('month', month)),
    lesson_number integer NOT NULL CHECK (lesson_number BETWEEN 1 AND 12),
    grade_level integer NOT NULL CHECK (grade_level BETWEEN 4 AND 6),
    age_range text NOT NULL CHECK (age_range IN ('8-9', '10-11', '12-13')),
    sessions_started integer NOT NULL CHECK (sessions_started > 0),
    sessions_completed integer NOT NULL CHECK (sessions_completed BETWEEN 0 AND sessions_started),
    classrooms integer NOT NULL CHECK (classrooms BETWEEN 1 AND sessions_started),
    PRIMARY KEY (month, lesson_number, grade_level, age_range)
);

-- School terms: spring (January to May), summer (June and July), fall (August to December). A
-- month lies in one term, so a term's cells are the sum of its months' cells.
CREATE FUNCTION app.school_term(day date)
RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT make_date(extract(year FROM day)::integer,
                     CASE WHEN extract(month FROM day) >= 8 THEN 8 WHEN extract(month FROM day) >= 6 THEN 6 ELSE 1 END, 1)
$$;
CREATE FUNCTION app.school_term_name(term_start date)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE extract(month FROM term_start) WHEN 8 THEN 'fall ' WHEN 6 THEN 'summer ' ELSE 'spring ' END
           || extract(year FROM term_start)::integer
$$;

-- The same per school term (the classrooms of a term are counted over the term, not summed).
CREATE TABLE analytics_lesson_term_rollup (
    term_start date NOT NULL CHECK (term_start = app.school_term(term_start)),
    lesson_number integer NOT NULL CHECK (lesson_number BETWEEN 1 AND 12),
    grade_level integer NOT NULL CHECK (grade_level BETWEEN 4 AND 6),
    age_range text NOT NULL CHECK (age_range IN ('8-9', '10-11', '12-13')),
    sessions_started integer NOT NULL CHECK (sessions_started > 0),
    sessions_completed integer NOT NULL CHECK (sessions_completed BETWEEN 0 AND sessions_started),
    classrooms integer NOT NULL CHECK (classrooms BETWEEN 1 AND sessions_started),
    PRIMARY KEY (term_start, lesson_number, grade_level, age_range)
);

-- Feedback per month and lesson: for the rating, the mood and each question, the sessions that
-- chose each option.
CREATE TABLE analytics_feedback_rollup (
    month date NOT NULL CHECK (month = date_trunc('month', month)),
    lesson_number integer NOT NULL CHECK (lesson_number BETWEEN 1 AND 12),
    measure text NOT NULL CHECK (measure IN ('rating', 'mood', 'answer')),
    question_key text NOT NULL CHECK ((measure = 'answer') = (question_key <> '')),
    option text NOT NULL CHECK (option ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    sessions integer NOT NULL CHECK (sessions > 0),
    classrooms integer NOT NULL CHECK (classrooms BETWEEN 1 AND sessions),
    PRIMARY KEY (month, lesson_number, measure, question_key, option)
);

-- Engagement per week (from Monday): lessons taught, the classrooms that taught them, the student
-- sessions active (progress begun or feedback given), and, for the median, how many lessons taught
-- lasted each whole number of minutes (capped at 240).
CREATE TABLE analytics_engagement_rollup (
    week date NOT NULL PRIMARY KEY CHECK (week = date_trunc('week', week)),
    lessons_taught integer NOT NULL CHECK (lessons_taught >= 0),
    active_classrooms integer NOT NULL CHECK (active_classrooms >= 0),
    student_sessions integer NOT NULL CHECK (student_sessions >= 0),
    duration_minutes integer[] NOT NULL DEFAULT '{}' CHECK (cardinality(duration_minutes) <= 241)
);

DO $rollups$
DECLARE
    rollup text;
BEGIN
    FOREACH rollup IN ARRAY ARRAY['analytics_join_rollup', 'analytics_lesson_rollup', 'analytics_lesson_term_rollup',
                                  'analytics_feedback_rollup', 'analytics_engagement_rollup'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', rollup);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', rollup);
        -- counts only: reporting may read them; analytics reads the views, the application nothing
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO readonly_role USING (true)', rollup || '_read', rollup);
        EXECUTE format('GRANT SELECT ON %I TO readonly_role', rollup);
        EXECUTE format('COMMENT ON TABLE %I IS %L', rollup, 'Analytics rollup: counts only, no id of anyone; kept after retention deletes the raw rows');
    END LOOP;
END
$rollups$;

-- Each (student session, lesson) whose rows all started on or after since: when it began (its
-- first progress row), whether every content item of the lesson is completed, and the session's
-- classroom and demographic group. One definition for the month and the term rollups.
CREATE FUNCTION app.analytics_lesson_pairs(since timestamptz)
RETURNS TABLE (classroom_id uuid, lesson_number integer, grade_level integer, age_range text, began timestamptz, completed boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH progress AS (
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, p.lesson_content_id, p.status, p.started_at
          FROM public.student_progress p WHERE p.started_at >= since
        UNION ALL
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, p.lesson_content_id, p.status, p.started_at
          FROM public.student_progress_archive p WHERE p.started_at >= since
    ), pairs AS (
        SELECT p.student_session_id, p.classroom_id, p.lesson_id, min(p.started_at) AS began,
               count(DISTINCT p.lesson_content_id) FILTER (WHERE p.status = 'completed') AS items_completed
          FROM progress p GROUP BY 1, 2, 3
    ), sessions AS (
        SELECT l.id, l.demographic_data FROM public.student_sessions l
        UNION ALL
        SELECT a.id, a.demographic_data FROM public.student_sessions_archive a
    )
    SELECT pr.classroom_id, ls.lesson_number, (s.demographic_data ->> 'grade_level')::integer, s.demographic_data ->> 'age_range',
           pr.began, pr.items_completed >= (SELECT count(*) FROM public.lesson_content c WHERE c.lesson_id = pr.lesson_id)
      FROM pairs pr
      JOIN sessions s ON s.id = pr.student_session_id
      JOIN public.lessons ls ON ls.id = pr.lesson_id
     -- a pair with a row before since began earlier: it belongs to an earlier period
     WHERE NOT EXISTS (SELECT 1 FROM public.student_progress e
                        WHERE e.student_session_id = pr.student_session_id AND e.lesson_id = pr.lesson_id AND e.started_at < since)
       AND NOT EXISTS (SELECT 1 FROM public.student_progress_archive e
                        WHERE e.student_session_id = pr.student_session_id AND e.lesson_id = pr.lesson_id AND e.started_at < since)
$$;

-- Recomputes the rollups of every period that overlaps [from_day, to_day] (both included), whole:
-- delete, then insert from the live and archive tables. Returns, per rollup, the periods
-- recomputed and the cells they hold now. A period before the raw rows' total retention (3 years
-- by the student sessions' policy) is never recomputed: its raw rows are gone, its rollup stays as
-- it is. One refresh at a time (an advisory lock; a second waits).
CREATE FUNCTION app.analytics_refresh_periods(from_day date, to_day date)
RETURNS TABLE (rollup text, periods integer, cells integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kept_since constant date := (now() - coalesce((SELECT p.total_period FROM public.data_retention_policies p
                                                     WHERE p.table_name = 'student_sessions'), interval '3 years'))::date;
    first_month date;
    last_month date;
    first_week date;
    last_week date;
    n integer;
BEGIN
    IF from_day IS NULL OR to_day IS NULL OR from_day > to_day THEN
        RAISE EXCEPTION 'the days to refresh run from % to %: from must be on or before to', from_day, to_day
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_day > (now() AT TIME ZONE 'UTC')::date THEN
        to_day := (now() AT TIME ZONE 'UTC')::date;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('heroes.analytics refresh'));
    -- whole periods only, never one whose raw rows retention has deleted (the first month or week
    -- that starts on or after kept_since)
    first_month := greatest(date_trunc('month', from_day)::date,
                            CASE WHEN date_trunc('month', kept_since) = kept_since THEN kept_since
                                 ELSE (date_trunc('month', kept_since) + interval '1 month')::date END);
    last_month := date_trunc('month', to_day)::date;
    first_week := greatest(date_trunc('week', from_day)::date,
                           CASE WHEN date_trunc('week', kept_since) = kept_since THEN kept_since
                                ELSE (date_trunc('week', kept_since) + interval '1 week')::date END);
    last_week := date_trunc('week', to_day)::date;

    -- joins
    DELETE FROM public.analytics_join_rollup r WHERE r.month BETWEEN first_month AND last_month;
    INSERT INTO public.analytics_join_rollup (month, grade_level, age_range, sessions, classrooms)
    SELECT date_trunc('month', s.created_at AT TIME ZONE 'UTC')::date, (s.demographic_data ->> 'grade_level')::integer,
           s.demographic_data ->> 'age_range', count(*), count(DISTINCT s.classroom_id)
      FROM (SELECT l.classroom_id, l.demographic_data, l.created_at FROM public.student_sessions l
            UNION ALL
            SELECT a.classroom_id, a.demographic_data, a.created_at FROM public.student_sessions_archive a) s
     WHERE s.created_at >= first_month::timestamp AT TIME ZONE 'UTC'
       AND s.created_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
     GROUP BY 1, 2, 3;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT 'analytics_join_rollup', greatest(0, (extract(year FROM age(last_month, first_month)) * 12
                                                             + extract(month FROM age(last_month, first_month)))::integer + 1), n;

    -- lessons: each (session, lesson) in the month of its first progress row; every row of a pair
    -- begun in the range is on or after the range's start, and a pair with a row before it began earlier
    DELETE FROM public.analytics_lesson_rollup r WHERE r.month BETWEEN first_month AND last_month;
    INSERT INTO public.analytics_lesson_rollup (month, lesson_number, grade_level, age_range, sessions_started, sessions_completed,
                                                classrooms)
    SELECT date_trunc('month', p.began AT TIME ZONE 'UTC')::date, p.lesson_number, p.grade_level, p.age_range, count(*),
           count(*) FILTER (WHERE p.completed), count(DISTINCT p.classroom_id)
      FROM app.analytics_lesson_pairs(first_month::timestamp AT TIME ZONE 'UTC') p
     WHERE p.began < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
     GROUP BY 1, 2, 3, 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT 'analytics_lesson_rollup', greatest(0, (extract(year FROM age(last_month, first_month)) * 12
                                                               + extract(month FROM age(last_month, first_month)))::integer + 1), n;

    -- lessons per term: every term that overlaps the months, whole, never one that began before kept_since
    DELETE FROM public.analytics_lesson_term_rollup r
     WHERE r.term_start BETWEEN app.school_term(first_month) AND app.school_term(last_month) AND r.term_start >= kept_since;
    INSERT INTO public.analytics_lesson_term_rollup (term_start, lesson_number, grade_level, age_range, sessions_started,
                                                     sessions_completed, classrooms)
    WITH terms AS (
        SELECT DISTINCT app.school_term(m::date) AS term_start
          FROM generate_series(first_month::timestamp, last_month::timestamp, interval '1 month') m
         WHERE app.school_term(m::date) >= kept_since
    )
    SELECT app.school_term((p.began AT TIME ZONE 'UTC')::date), p.lesson_number, p.grade_level, p.age_range, count(*),
           count(*) FILTER (WHERE p.completed), count(DISTINCT p.classroom_id)
      FROM app.analytics_lesson_pairs((SELECT min(t.term_start) FROM terms t)::timestamp AT TIME ZONE 'UTC') p
     WHERE app.school_term((p.began AT TIME ZONE 'UTC')::date) IN (SELECT t.term_start FROM terms t)
     GROUP BY 1, 2, 3, 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT 'analytics_lesson_term_rollup', (SELECT count(DISTINCT app.school_term(m::date))::integer
                                                           FROM generate_series(first_month::timestamp, last_month::timestamp, interval '1 month') m
                                                          WHERE app.school_term(m::date) >= kept_since), n;

    -- feedback: the rating, the mood and each answered question, per option
    DELETE FROM public.analytics_feedback_rollup r WHERE r.month BETWEEN first_month AND last_month;
    INSERT INTO public.analytics_feedback_rollup (month, lesson_number, measure, question_key, option, sessions, classrooms)
    WITH feedback AS (
        SELECT f.student_session_id, f.classroom_id, f.lesson_id, f.rating, f.mood, f.answers, f.submitted_at
          FROM public.student_feedback f
        UNION ALL
        SELECT f.student_session_id, f.classroom_id, f.lesson_id, f.rating, f.mood, f.answers, f.submitted_at
          FROM public.student_feedback_archive f
    ), chosen AS (
        SELECT f.student_session_id, f.classroom_id, f.lesson_id, f.submitted_at, o.measure, o.question_key, o.option
          FROM feedback f
          CROSS JOIN LATERAL (SELECT 'rating', '', f.rating::text
                              UNION ALL SELECT 'mood', '', f.mood
                              UNION ALL SELECT 'answer', a.key, a.value FROM jsonb_each_text(f.answers) a) AS o (measure, question_key, option)
         WHERE f.submitted_at >= first_month::timestamp AT TIME ZONE 'UTC'
           AND f.submitted_at < (last_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
    )
    SELECT date_trunc('month', c.submitted_at AT TIME ZONE 'UTC')::date, ls.lesson_number, c.measure, c.question_key, c.option,
           count(DISTINCT c.student_session_id), count(DISTINCT c.classroom_id)
      FROM chosen c JOIN public.lessons ls ON ls.id = c.lesson_id
     GROUP BY 1, 2, 3, 4, 5;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT 'analytics_feedback_rollup', greatest(0, (extract(year FROM age(last_month, first_month)) * 12
                                                                 + extract(month FROM age(last_month, first_month)))::integer + 1), n;

    -- engagement, per week
    DELETE FROM public.analytics_engagement_rollup r WHERE r.week BETWEEN first_week AND last_week;
    INSERT INTO public.analytics_engagement_rollup (week, lessons_taught, active_classrooms, student_sessions, duration_minutes)
    WITH taught AS (
        SELECT date_trunc('week', cs.started_at AT TIME ZONE 'UTC')::date AS week, cs.classroom_id,
               least(floor(extract(epoch FROM cs.ended_at - cs.started_at) / 60), 240)::integer AS minutes
          FROM (SELECT l.classroom_id, l.started_at, l.ended_at FROM public.classroom_sessions l
                UNION ALL
                SELECT a.classroom_id, a.started_at, a.ended_at FROM public.classroom_sessions_archive a) cs
         WHERE cs.started_at >= first_week::timestamp AT TIME ZONE 'UTC'
           AND cs.started_at < (last_week + 7)::timestamp AT TIME ZONE 'UTC'
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
        SELECT date_trunc('week', a.at AT TIME ZONE 'UTC')::date AS week, count(DISTINCT a.student_session_id) AS sessions
          FROM (SELECT p.student_session_id, p.started_at AS at FROM public.student_progress p
                UNION ALL SELECT p.student_session_id, p.started_at FROM public.student_progress_archive p
                UNION ALL SELECT f.student_session_id, f.submitted_at FROM public.student_feedback f
                UNION ALL SELECT f.student_session_id, f.submitted_at FROM public.student_feedback_archive f) a
         WHERE a.at >= first_week::timestamp AT TIME ZONE 'UTC' AND a.at < (last_week + 7)::timestamp AT TIME ZONE 'UTC'
         GROUP BY 1
    )
    SELECT w.week, coalesce(l.taught, 0), coalesce(l.classrooms, 0), coalesce(a.sessions, 0), coalesce(h.minutes, '{}')
      FROM (SELECT l.week FROM lessons l UNION SELECT a.week FROM active a) w
      LEFT JOIN lessons l ON l.week = w.week
      LEFT JOIN active a ON a.week = w.week
      LEFT JOIN histograms h ON h.week = w.week;

    SELECT count(*) INTO n FROM public.analytics_engagement_rollup r WHERE r.week BETWEEN first_week AND last_week;
    RETURN QUERY SELECT 'analytics_engagement_rollup', greatest(0, ((last_week - first_week) / 7) + 1), n;
END
$$;

-- The nightly refresh: every period overlapping the last recompute_days days, and every period in
-- which a progress row was recorded, a session joined or a lesson was taught since the last
-- refresh (a day of overlap for transactions that committed late). Records when it ran.
CREATE FUNCTION public.refresh_analytics(from_day date DEFAULT NULL, to_day date DEFAULT NULL)
RETURNS TABLE (rollup text, periods integer, cells integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    settings public.analytics_settings;
    since timestamptz;
    earliest date;
BEGIN
    SELECT * INTO settings FROM public.analytics_settings;
    IF from_day IS NOT NULL OR to_day IS NOT NULL THEN
        RETURN QUERY SELECT * FROM app.analytics_refresh_periods(from_day, coalesce(to_day, (now() AT TIME ZONE 'UTC')::date));
    ELSE
        since := coalesce(settings.refreshed_at - interval '1 day', '-infinity');
        earliest := least((now() AT TIME ZONE 'UTC')::date - settings.recompute_days,
                          (SELECT min(p.started_at AT TIME ZONE 'UTC')::date FROM public.student_progress p WHERE p.recorded_at >= since),
                          (SELECT min(s.created_at AT TIME ZONE 'UTC')::date FROM public.student_sessions s WHERE s.created_at >= since),
                          (SELECT min(cs.started_at AT TIME ZONE 'UTC')::date FROM public.classroom_sessions cs
                            WHERE cs.started_at >= since OR cs.ended_at >= since));
        RETURN QUERY SELECT * FROM app.analytics_refresh_periods(earliest, (now() AT TIME ZONE 'UTC')::date);
    END IF;
    UPDATE public.analytics_settings SET refreshed_at = now();
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The views heroes_analytics reads. A cell's counts are NULL and suppressed true when it describes
-- fewer than k sessions or fewer than min_classrooms classrooms.

CREATE VIEW analytics_join_demographics AS
SELECT r.month, r.grade_level, r.age_range,
       CASE WHEN r.sessions >= s.k_anonymity AND r.classrooms >= s.min_classrooms THEN r.sessions END AS student_sessions,
       NOT (r.sessions >= s.k_anonymity AND r.classrooms >= s.min_classrooms) AS suppressed
  FROM public.analytics_join_rollup r CROSS JOIN public.analytics_settings s;
COMMENT ON VIEW analytics_join_demographics IS 'Student sessions that joined, per month (UTC), grade and age range; suppressed below k sessions or 2 classrooms';

-- The completed count is a cell of its own (the sessions that completed), and so is its
-- complement (those that did not): both must describe at least k sessions to be published, or the
-- one would reveal the other by subtraction. A term's cell is the sum of its months' cells: when
-- the term's count is published and one of its months' is suppressed, every month of that term
-- (for that lesson, grade and age range) is suppressed, or the term minus the others would give it
-- away; the same for the completed counts.
CREATE VIEW analytics_lesson_completion_by_term AS
SELECT r.term_start, app.school_term_name(r.term_start) AS term, r.lesson_number, l.title AS lesson_title, r.grade_level, r.age_range,
       CASE WHEN c.published THEN r.sessions_started END AS sessions_started,
       CASE WHEN c.published AND c.completion_published THEN r.sessions_completed END AS sessions_completed,
       CASE WHEN c.published AND c.completion_published THEN round(r.sessions_completed::numeric / r.sessions_started, 3) END
           AS completion_rate,
       NOT c.published AS suppressed,
       NOT (c.published AND c.completion_published) AS completion_suppressed
  FROM public.analytics_lesson_term_rollup r
  JOIN public.lessons l ON l.lesson_number = r.lesson_number
  CROSS JOIN public.analytics_settings s
  CROSS JOIN LATERAL (SELECT r.sessions_started >= s.k_anonymity AND r.classrooms >= s.min_classrooms AS published,
                             r.sessions_completed >= s.k_anonymity AND r.sessions_started - r.sessions_completed >= s.k_anonymity
                                 AS completion_published) c;
COMMENT ON VIEW analytics_lesson_completion_by_term IS 'Student sessions that began and that completed each lesson, per school term, grade and age range; suppressed below k sessions or 2 classrooms';

CREATE VIEW analytics_lesson_completion AS
WITH cells AS (
    SELECT r.*, app.school_term(r.month) AS term_start,
           r.sessions_started >= s.k_anonymity AND r.classrooms >= s.min_classrooms AS published,
           r.sessions_completed >= s.k_anonymity AND r.sessions_started - r.sessions_completed >= s.k_anonymity AS completion_published
      FROM public.analytics_lesson_rollup r CROSS JOIN public.analytics_settings s
), families AS (
    SELECT c.*,
           bool_and(c.published) OVER f AS family_published,
           bool_and(c.published AND c.completion_published) OVER f AS family_completion_published
      FROM cells c
    WINDOW f AS (PARTITION BY c.term_start, c.lesson_number, c.grade_level, c.age_range)
), decided AS (
    SELECT x.*,
           x.published AND (x.family_published OR NOT coalesce(t.published, false)) AS shown,
           x.published AND x.completion_published
               AND (x.family_completion_published OR NOT coalesce(t.published AND t.completion_published, false)) AS completion_shown
      FROM families x
      LEFT JOIN (SELECT v.term_start, v.lesson_number, v.grade_level, v.age_range, NOT v.suppressed AS published,
                        NOT v.completion_suppressed AS completion_published
                   FROM public.analytics_lesson_completion_by_term v) t
        ON t.term_start = x.term_start AND t.lesson_number = x.lesson_number AND t.grade_level = x.grade_level AND t.age_range = x.age_range
)
SELECT d.month, d.lesson_number, l.title AS lesson_title, d.grade_level, d.age_range,
       CASE WHEN d.shown THEN d.sessions_started END AS sessions_started,
       CASE WHEN d.shown AND d.completion_shown THEN d.sessions_completed END AS sessions_completed,
       CASE WHEN d.shown AND d.completion_shown THEN round(d.sessions_completed::numeric / d.sessions_started, 3) END AS completion_rate,
       NOT d.shown AS suppressed,
       NOT (d.shown AND d.completion_shown) AS completion_suppressed
  FROM decided d JOIN public.lessons l ON l.lesson_number = d.lesson_number;
COMMENT ON VIEW analytics_lesson_completion IS 'Student sessions that began and that completed each lesson, per month (UTC), grade and age range; suppressed below k sessions or 2 classrooms, and with the other months of its term when the term''s count would give it away';

-- Feedback: a partition (a month's lesson's rating, mood, or one question) with a suppressed cell
-- suppresses its next smallest cells too, until at least two are suppressed and they describe at
-- least k sessions together.
CREATE VIEW analytics_lesson_feedback AS
WITH cells AS (
    SELECT r.*, s.k_anonymity AS k,
           NOT (r.sessions >= s.k_anonymity AND r.classrooms >= s.min_classrooms) AS primary_suppressed
      FROM public.analytics_feedback_rollup r CROSS JOIN public.analytics_settings s
), partitions AS (
    SELECT c.*,
           count(*) FILTER (WHERE c.primary_suppressed) OVER p AS suppressed_cells,
           coalesce(sum(c.sessions) FILTER (WHERE c.primary_suppressed) OVER p, 0) AS suppressed_sessions,
           -- published cells before this one, smallest first
           count(*) FILTER (WHERE NOT c.primary_suppressed) OVER ordered - 1 AS published_before,
           coalesce(sum(c.sessions) FILTER (WHERE NOT c.primary_suppressed) OVER ordered, 0) - c.sessions AS published_sessions_before
      FROM cells c
    WINDOW p AS (PARTITION BY c.month, c.lesson_number, c.measure, c.question_key),
           ordered AS (PARTITION BY c.month, c.lesson_number, c.measure, c.question_key
                       ORDER BY c.primary_suppressed DESC, c.sessions, c.option ROWS UNBOUNDED PRECEDING)
)
SELECT x.month, x.lesson_number, l.title AS lesson_title, x.measure, x.question_key, x.option,
       CASE WHEN NOT x.hidden THEN x.sessions END AS student_sessions,
       x.hidden AS suppressed
  FROM (SELECT pa.*,
               pa.primary_suppressed
               OR (pa.suppressed_cells > 0
                   AND (pa.suppressed_cells + pa.published_before < 2 OR pa.suppressed_sessions + pa.published_sessions_before < pa.k))
                   AS hidden
          FROM partitions pa) x
  JOIN public.lessons l ON l.lesson_number = x.lesson_number;
COMMENT ON VIEW analytics_lesson_feedback IS 'Feedback per month (UTC) and lesson: for the rating, the mood and each question, the student sessions per option; suppressed below k sessions or 2 classrooms, with complementary suppression within each partition';

-- Engagement per week: a week whose active student sessions are fewer than k, or whose lessons
-- were taught in fewer than min_classrooms classrooms, is suppressed whole.
CREATE VIEW analytics_engagement AS
SELECT r.week,
       CASE WHEN c.published THEN r.lessons_taught END AS lessons_taught,
       CASE WHEN c.published THEN r.active_classrooms END AS active_classrooms,
       CASE WHEN c.published THEN r.student_sessions END AS student_sessions,
       CASE WHEN c.published THEN (SELECT min(m.minute) FROM (
                SELECT d.ordinality - 1 AS minute, sum(d.lessons) OVER (ORDER BY d.ordinality) AS running
                  FROM unnest(r.duration_minutes) WITH ORDINALITY AS d (lessons, ordinality)) m
             WHERE m.running * 2 >= (SELECT sum(x) FROM unnest(r.duration_minutes) x)) END AS median_lesson_minutes,
       NOT c.published AS suppressed
  FROM public.analytics_engagement_rollup r
  CROSS JOIN public.analytics_settings s
  CROSS JOIN LATERAL (SELECT r.student_sessions >= s.k_anonymity AND r.active_classrooms >= s.min_classrooms AS published) c;
COMMENT ON VIEW analytics_engagement IS 'Per week (from Monday, UTC): lessons taught, active classrooms, active student sessions, median lesson length; suppressed below k sessions or 2 classrooms';

-- (the application reads them for the admin endpoints, with the same suppression)
GRANT SELECT ON analytics_join_demographics, analytics_lesson_completion, analytics_lesson_completion_by_term,
    analytics_lesson_feedback, analytics_engagement TO analytics_role, readonly_role, application_role;
-- the curriculum's lessons, content and questions label the numbers; the import's bookkeeping is not analytics
REVOKE SELECT ON curriculum_state FROM analytics_role;

REVOKE ALL ON FUNCTION app.analytics_lesson_pairs(timestamptz), app.analytics_refresh_periods(date, date),
    public.refresh_analytics(date, date) FROM PUBLIC;
-- a function a view calls is called with the rights of whoever reads the view
REVOKE ALL ON FUNCTION app.school_term(date), app.school_term_name(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.school_term(date), app.school_term_name(date) TO analytics_role, readonly_role, application_role;
GRANT EXECUTE ON FUNCTION public.refresh_analytics(date, date) TO application_role;
