-- How a recovery request is executed, besides `heroes recover <id>`:
--   1. approved by an admin (app.recovery_approve, POST /api/v1/admin/recoveries/{id}/approve), for
--      the server's worker (the recoveries job) to execute: approved_at and approved_by say who and when;
--   2. handed over in place of the live cluster (below);
--   3. a step of a disaster-recovery plan, executed or done step by step with heroes recover --plan,
--      each step's progress recorded on the plan (app.dr_plan_progress).
--
-- A point-in-time recovery handed over in place of the live cluster (PointInTimeRecovery.executeInPlace):
-- the recovered cluster becomes the live one, and its recovery_log, as it was at the target, has
-- never heard of the recovery that made it. The recovery's row, as the old cluster recorded it
-- through its hand-over, is carried over (app.recovery_carry) with one more step saying where
-- the replaced cluster is kept. When the recovered cluster does not start in its place, the old
-- one is put back and its row says so (app.recovery_undone).

-- Records, in the recovered cluster, the recovery that made it: recorded is the old cluster's row
-- (to_jsonb), already succeeded; detail is the last step's. Keeps the row's id, and moves the
-- identity past it so that the next request does not take it. Does nothing when the id exists.
CREATE FUNCTION app.recovery_carry(recorded jsonb, detail text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    carried public.recovery_log := jsonb_populate_record(NULL::public.recovery_log, recorded);
BEGIN
    IF carried.id IS NULL OR carried.status IS DISTINCT FROM 'succeeded' THEN
        RAISE EXCEPTION 'only a recovery that succeeded is carried over, not %', coalesce(carried.status, 'a row without an id')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    carried.steps := carried.steps || jsonb_build_array(jsonb_build_object('step', 'in-place', 'at', clock_timestamp(),
                                                                           'detail', left(detail, 2000)));
    carried.holder_pid := NULL;
    INSERT INTO public.recovery_log OVERRIDING SYSTEM VALUE SELECT carried.* ON CONFLICT (id) DO NOTHING;
    PERFORM setval(pg_get_serial_sequence('public.recovery_log', 'id'),
                   greatest(carried.id, (SELECT max(r.id) FROM public.recovery_log r)));
END
$$;

-- In the old cluster put back: the recovery it had recorded as handed over did not take its place.
CREATE FUNCTION app.recovery_undone(recovery_id bigint, why text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE public.recovery_log r
       SET status = 'failed', error = left(why, 4000),
           steps = r.steps || jsonb_build_array(jsonb_build_object('step', 'put-back', 'at', clock_timestamp(), 'detail', left(why, 2000)))
     WHERE r.id = recovery_id AND r.status = 'succeeded' AND r.steps -> -1 ->> 'step' = 'hand-over';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'recovery % was not handed over in place', recovery_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

ALTER TABLE recovery_log
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN approved_by uuid,
    ADD CONSTRAINT recovery_log_approval_whole CHECK ((approved_at IS NULL) = (approved_by IS NULL));
COMMENT ON COLUMN recovery_log.approved_at IS 'When an admin approved the request for the server''s worker to execute (NULL: heroes recover <id> alone runs it)';
COMMENT ON COLUMN recovery_log.approved_by IS 'The admin (facilitators.id) who approved it';
CREATE INDEX recovery_log_approved_idx ON recovery_log (approved_at) WHERE status = 'requested' AND approved_at IS NOT NULL;

-- An admin approves a request, still requested, for the server's worker to execute: the actor of
-- the transaction's context (app.set_context) must be an admin. Approving twice keeps the first.
CREATE FUNCTION app.recovery_approve(recovery_id bigint)
RETURNS public.recovery_log
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    approved public.recovery_log;
BEGIN
    IF app.actor_role() IS DISTINCT FROM 'admin' OR app.facilitator_id() IS NULL THEN
        RAISE EXCEPTION 'only an admin approves a recovery' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE public.recovery_log r
       SET approved_at = coalesce(r.approved_at, now()), approved_by = coalesce(r.approved_by, app.facilitator_id())
     WHERE r.id = recovery_id AND r.status = 'requested'
    RETURNING * INTO approved;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM public.recovery_log r WHERE r.id = recovery_id) THEN
            RAISE EXCEPTION 'recovery % is not a request waiting to run', recovery_id USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = (SELECT 'it is ' || r.status FROM public.recovery_log r WHERE r.id = recovery_id);
        END IF;
        RAISE EXCEPTION 'there is no recovery %', recovery_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN approved;
END
$$;

-- The approved requests still waiting, oldest approval first: what the worker executes.
CREATE FUNCTION app.recoveries_approved()
RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.id FROM public.recovery_log r WHERE r.status = 'requested' AND r.approved_at IS NOT NULL ORDER BY r.approved_at, r.id
$$;

REVOKE ALL ON FUNCTION app.recovery_carry(jsonb, text), app.recovery_undone(bigint, text), app.recovery_approve(bigint),
    app.recoveries_approved() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.recovery_carry(jsonb, text), app.recovery_undone(bigint, text), app.recovery_approve(bigint),
    app.recoveries_approved() TO application_role;

-- Each plan's progress, step by step, as heroes recover --plan records it: a manual step done (with
-- the operator's note), a recovery initiated for a step (its recovery_log id), executed, or failed.
ALTER TABLE disaster_recovery_plans
    ADD COLUMN progress jsonb NOT NULL DEFAULT '[]' CONSTRAINT disaster_recovery_plans_progress_array CHECK (jsonb_typeof(progress) = 'array');
COMMENT ON COLUMN disaster_recovery_plans.progress IS 'What was done of each step, in order: {step, outcome (done, initiated, executed, failed), recovery_id, detail, at, by}';

CREATE FUNCTION app.dr_plan_progress(plan_id bigint, step integer, outcome text, recovery_id bigint, detail text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    steps integer;
BEGIN
    SELECT jsonb_array_length(p.steps) INTO steps FROM public.disaster_recovery_plans p WHERE p.id = plan_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no disaster-recovery plan %', plan_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF step IS NULL OR step < 1 OR step > steps THEN
        RAISE EXCEPTION 'plan % has steps 1 to %, not %', plan_id, steps, coalesce(step::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF outcome IS NULL OR outcome NOT IN ('done', 'initiated', 'executed', 'failed') THEN
        RAISE EXCEPTION 'a step''s outcome is done, initiated, executed or failed, not %', coalesce(outcome, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE public.disaster_recovery_plans p
       SET progress = p.progress || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
               'step', step, 'outcome', outcome, 'recovery_id', recovery_id, 'detail', left(detail, 2000), 'at', clock_timestamp(),
               'by', session_user)))
     WHERE p.id = plan_id;
END
$$;

REVOKE ALL ON FUNCTION app.dr_plan_progress(bigint, integer, text, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.dr_plan_progress(bigint, integer, text, bigint, text) TO application_role;
