-- Facilitators (adults) and their sessions and login attempts. Row level security: a facilitator
-- sees only their own rows, an admin all; pre-authentication lookups go through SECURITY DEFINER
-- functions that return only what the caller needs.

CREATE TABLE facilitators (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    password_hash text NOT NULL CHECK (length(password_hash) BETWEEN 20 AND 512),
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
    role text NOT NULL DEFAULT 'facilitator' CHECK (role IN ('facilitator', 'admin')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    CONSTRAINT facilitators_email_lower_case CHECK (email = lower(email)),
    CONSTRAINT facilitators_email_format CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')
);
-- The guide's index is the unique constraint's own (a UNIQUE constraint cannot use lower(email)).
CREATE UNIQUE INDEX idx_facilitators_email ON facilitators (email);
ALTER TABLE facilitators ADD CONSTRAINT idx_facilitators_email UNIQUE USING INDEX idx_facilitators_email;
CREATE TRIGGER facilitators_touch BEFORE UPDATE ON facilitators FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

CREATE TABLE facilitator_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    facilitator_id uuid NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
    access_token_id uuid,
    refresh_count integer NOT NULL DEFAULT 0 CHECK (refresh_count >= 0),
    expires_at timestamptz NOT NULL,
    device_info jsonb CHECK (device_info IS NULL OR (jsonb_typeof(device_info) = 'object' AND pg_column_size(device_info) <= 2048)),
    ip_address inet,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    revoke_reason text CHECK (revoke_reason IN ('logout', 'expired', 'password_changed', 'refresh_token_reused', 'account_disabled', 'admin')),
    CONSTRAINT facilitator_sessions_revoked_with_reason CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
    CONSTRAINT facilitator_sessions_expire_after_creation CHECK (expires_at > created_at)
);
COMMENT ON COLUMN facilitator_sessions.token_hash IS 'SHA-256 of the current refresh token; the token itself is never stored';
CREATE UNIQUE INDEX idx_facilitator_sessions_token ON facilitator_sessions (token_hash);
ALTER TABLE facilitator_sessions ADD CONSTRAINT idx_facilitator_sessions_token UNIQUE USING INDEX idx_facilitator_sessions_token;
CREATE INDEX facilitator_sessions_facilitator_id_idx ON facilitator_sessions (facilitator_id);
-- The expiry job: live sessions past their end.
CREATE INDEX facilitator_sessions_live_expires_at_idx ON facilitator_sessions (expires_at) WHERE revoked_at IS NULL;

-- Refresh tokens already exchanged: presenting one again means it was stolen (rotation reuse).
CREATE TABLE facilitator_retired_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id uuid NOT NULL REFERENCES facilitator_sessions (id) ON DELETE CASCADE,
    retired_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facilitator_retired_tokens_session_id_idx ON facilitator_retired_tokens (session_id);

CREATE TABLE auth_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_hash bytea NOT NULL CHECK (length(email_hash) = 32),
    facilitator_id uuid REFERENCES facilitators (id) ON DELETE SET NULL,
    ip_address inet,
    user_agent text CHECK (length(user_agent) <= 512),
    outcome text NOT NULL CHECK (outcome IN ('succeeded', 'bad_credentials', 'unknown_email', 'account_disabled', 'email_taken', 'throttled')),
    attempted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN auth_attempts.email_hash IS 'SHA-256 of the typed email, trimmed and lower-cased: throttles without keeping what was typed';
-- Throttling counts recent failures per email and per address.
CREATE INDEX auth_attempts_email_hash_attempted_at_idx ON auth_attempts (email_hash, attempted_at);
CREATE INDEX auth_attempts_ip_address_attempted_at_idx ON auth_attempts (ip_address, attempted_at);
CREATE INDEX auth_attempts_facilitator_id_idx ON auth_attempts (facilitator_id);

-- Row level security. (SELECT app.x()) makes the planner evaluate the context once per statement.
ALTER TABLE facilitators ENABLE ROW LEVEL SECURITY;
ALTER TABLE facilitators FORCE ROW LEVEL SECURITY;
CREATE POLICY facilitators_own ON facilitators TO application_role
    USING (id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin');
CREATE POLICY facilitators_reporting ON facilitators FOR SELECT TO readonly_role USING (true);

ALTER TABLE facilitator_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE facilitator_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY facilitator_sessions_own ON facilitator_sessions TO application_role
    USING (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin')
    WITH CHECK (facilitator_id = (SELECT app.facilitator_id()) OR (SELECT app.actor_role()) = 'admin');
CREATE POLICY facilitator_sessions_reporting ON facilitator_sessions FOR SELECT TO readonly_role USING (true);

ALTER TABLE facilitator_retired_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE facilitator_retired_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY facilitator_retired_tokens_own ON facilitator_retired_tokens TO application_role
    USING (session_id IN (SELECT id FROM facilitator_sessions))
    WITH CHECK (session_id IN (SELECT id FROM facilitator_sessions));

ALTER TABLE auth_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_attempts FORCE ROW LEVEL SECURITY;
-- Anyone may record an attempt (it happens before authentication); only an admin reads them.
CREATE POLICY auth_attempts_record ON auth_attempts FOR INSERT TO application_role WITH CHECK (true);
CREATE POLICY auth_attempts_admin ON auth_attempts FOR SELECT TO application_role
    USING ((SELECT app.actor_role()) = 'admin');
CREATE POLICY auth_attempts_reporting ON auth_attempts FOR SELECT TO readonly_role USING (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON facilitators, facilitator_sessions, facilitator_retired_tokens TO application_role;
GRANT SELECT, INSERT ON auth_attempts TO application_role;
-- Reporting sees no secret: no password or token hash, no hashed email.
GRANT SELECT (id, email, display_name, role, is_active, created_at, updated_at, last_login_at) ON facilitators TO readonly_role;
GRANT SELECT (id, facilitator_id, access_token_id, refresh_count, expires_at, device_info, ip_address, created_at,
              last_used_at, revoked_at, revoke_reason) ON facilitator_sessions TO readonly_role;
GRANT SELECT (id, facilitator_id, ip_address, user_agent, outcome, attempted_at) ON auth_attempts TO readonly_role;

-- Pre-authentication lookups: they see across tenants, so they return only what the caller needs.
CREATE FUNCTION app.find_login(email text)
RETURNS TABLE (facilitator_id uuid, password_hash text, role text, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT f.id, f.password_hash, f.role, f.is_active
      FROM public.facilitators f
     WHERE f.email = lower(btrim(find_login.email))
$$;

-- A refresh token is current (retired = false) or already exchanged (retired = true: reuse).
CREATE FUNCTION app.find_session_by_refresh_hash(token_hash bytea)
RETURNS TABLE (session_id uuid, facilitator_id uuid, expires_at timestamptz, revoked_at timestamptz, retired boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.id, s.facilitator_id, s.expires_at, s.revoked_at, false
      FROM public.facilitator_sessions s
     WHERE s.token_hash = find_session_by_refresh_hash.token_hash
    UNION ALL
    SELECT s.id, s.facilitator_id, s.expires_at, s.revoked_at, true
      FROM public.facilitator_retired_tokens r
      JOIN public.facilitator_sessions s ON s.id = r.session_id
     WHERE r.token_hash = find_session_by_refresh_hash.token_hash
$$;

REVOKE ALL ON FUNCTION app.find_login(text), app.find_session_by_refresh_hash(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.find_login(text), app.find_session_by_refresh_hash(bytea) TO application_role;
