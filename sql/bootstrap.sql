-- Heroes in Waiting: superuser bootstrap. Run once per database by a superuser, inside the target
-- database; re-running it is harmless. It creates what a non-superuser owner cannot:
--   * the extensions (per database),
--   * the group roles and the owner login (per cluster),
--   * heroes_admin.create_users(), which sql/create_users.sql and HeroesDatabase.createUsers call.
-- Plain SQL only (no psql meta-commands): HeroesDatabase.bootstrap runs this same file over JDBC.

DO $check$
BEGIN
    IF current_setting('server_version_num')::int < 150000 THEN
        RAISE EXCEPTION 'Heroes in Waiting needs PostgreSQL 15 or later (it relies on security_invoker views); this server is %',
            current_setting('server_version');
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'bootstrap.sql must be run by a superuser (creating BYPASSRLS roles and some extensions needs one); % is not',
            current_user;
    END IF;
END
$check$;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS amcheck;

-- Private to superusers: the owner must not be able to replace code a superuser later runs.
CREATE SCHEMA IF NOT EXISTS heroes_admin;
REVOKE ALL ON SCHEMA heroes_admin FROM PUBLIC;

-- Creates a role when missing, tolerating a concurrent bootstrap in another database of the cluster.
CREATE OR REPLACE PROCEDURE heroes_admin.ensure_role(role_name text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $proc$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I', role_name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by another session
        END;
    END IF;
END
$proc$;
REVOKE ALL ON PROCEDURE heroes_admin.ensure_role(text) FROM PUBLIC;

-- Brings a login to exactly the attributes it must have, whatever it had before.
CREATE OR REPLACE PROCEDURE heroes_admin.ensure_login(
    login text,
    group_role text,
    attributes text,
    new_password text,
    statement_timeout text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $proc$
BEGIN
    CALL heroes_admin.ensure_role(login);
    EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT %s', login, attributes);
    IF new_password IS NOT NULL THEN
        IF length(new_password) < 12 THEN
            RAISE EXCEPTION 'the password for % must have at least 12 characters', login;
        END IF;
        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, new_password);
    END IF;
    IF group_role IS NOT NULL AND NOT pg_has_role(login, group_role, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', group_role, login);
    END IF;
    IF statement_timeout IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, statement_timeout);
    END IF;
END
$proc$;
REVOKE ALL ON PROCEDURE heroes_admin.ensure_login(text, text, text, text, text) FROM PUBLIC;

-- The logins of the deployment (DESIGN.md section 3). A NULL password leaves the current one.
-- Statement timeouts go on the logins: ALTER ROLE ... SET on a group role does not reach members.
CREATE OR REPLACE PROCEDURE heroes_admin.create_users(
    owner_password text DEFAULT NULL,
    app_password text DEFAULT NULL,
    readonly_password text DEFAULT NULL,
    backup_password text DEFAULT NULL,
    analytics_password text DEFAULT NULL)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $proc$
BEGIN
    CALL heroes_admin.ensure_login('heroes_owner', NULL, 'BYPASSRLS NOREPLICATION', nullif(owner_password, ''), NULL);
    CALL heroes_admin.ensure_login('heroes_app', 'application_role', 'NOBYPASSRLS NOREPLICATION', nullif(app_password, ''), '30s');
    CALL heroes_admin.ensure_login('heroes_readonly', 'readonly_role', 'NOBYPASSRLS NOREPLICATION', nullif(readonly_password, ''), '5min');
    CALL heroes_admin.ensure_login('heroes_backup', 'backup_role', 'BYPASSRLS REPLICATION', nullif(backup_password, ''), '0');
    CALL heroes_admin.ensure_login('heroes_analytics', 'analytics_role', 'NOBYPASSRLS NOREPLICATION', nullif(analytics_password, ''), '2min');
    ALTER ROLE heroes_app SET idle_in_transaction_session_timeout = '60s';
END
$proc$;
REVOKE ALL ON PROCEDURE heroes_admin.create_users(text, text, text, text, text) FROM PUBLIC;

-- Group roles: privileges are granted to these, logins are members. None of them may log in.
DO $roles$
DECLARE
    group_role text;
BEGIN
    FOREACH group_role IN ARRAY ARRAY['application_role', 'readonly_role', 'backup_role', 'analytics_role'] LOOP
        CALL heroes_admin.ensure_role(group_role);
        EXECUTE format('ALTER ROLE %I WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION', group_role);
    END LOOP;
    -- pg_dump reads every table; row visibility comes from the heroes_backup login's BYPASSRLS.
    IF NOT pg_has_role('backup_role', 'pg_read_all_data', 'MEMBER') THEN
        GRANT pg_read_all_data TO backup_role;
    END IF;
    -- pgBackRest connects as heroes_backup for physical backups: a checkpoint, the backup's start
    -- and stop, a WAL switch and a restore point, and reading the settings it checks. Only a
    -- superuser can grant these, so they are here rather than in a migration.
    IF NOT pg_has_role('backup_role', 'pg_checkpoint', 'MEMBER') THEN
        GRANT pg_checkpoint TO backup_role;
    END IF;
    IF NOT pg_has_role('backup_role', 'pg_read_all_settings', 'MEMBER') THEN
        GRANT pg_read_all_settings TO backup_role;
    END IF;
    -- The archiving sample (app.wal_archive_sample) lists pg_wal/archive_status: pg_monitor's.
    IF NOT pg_has_role('backup_role', 'pg_monitor', 'MEMBER') THEN
        GRANT pg_monitor TO backup_role;
    END IF;
    GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_start(text, boolean), pg_catalog.pg_backup_stop(boolean),
        pg_catalog.pg_switch_wal(), pg_catalog.pg_create_restore_point(text) TO backup_role;
END
$roles$;

-- The owner of every object. It logs in to migrate; it is no superuser but bypasses RLS, so that
-- SECURITY DEFINER functions and the aggregate views it owns see what they must.
DO $owner$
BEGIN
    CALL heroes_admin.ensure_role('heroes_owner');
    ALTER ROLE heroes_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS NOREPLICATION;
    EXECUTE format('ALTER DATABASE %I OWNER TO heroes_owner', current_database());
END
$owner$;
ALTER SCHEMA public OWNER TO heroes_owner;
