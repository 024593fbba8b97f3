-- The actor context of an adult's request, checked against their session in the same round trip:
-- every transaction of a facilitator's request calls this instead of app.set_context, so a revoked
-- or expired session, or a disabled account, stops the very next transaction, and the role comes
-- from the account (demoting an admin takes effect at once), not from the token.
CREATE FUNCTION app.set_session_context(facilitator_id uuid, session_id uuid, request_id text, client_ip inet)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    account_role text;
BEGIN
    SELECT f.role INTO account_role
      FROM public.facilitator_sessions s
      JOIN public.facilitators f ON f.id = s.facilitator_id
     WHERE s.id = set_session_context.session_id AND s.facilitator_id = set_session_context.facilitator_id
       AND s.revoked_at IS NULL AND s.expires_at > now() AND f.is_active;
    IF account_role IS NULL THEN
        RAISE EXCEPTION 'the session has ended' USING ERRCODE = 'invalid_authorization_specification';
    END IF;
    PERFORM app.set_context(facilitator_id, NULL, account_role, request_id, client_ip);
    RETURN account_role;
END
$$;
REVOKE ALL ON FUNCTION app.set_session_context(uuid, uuid, text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.set_session_context(uuid, uuid, text, inet) TO application_role;
