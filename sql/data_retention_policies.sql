-- Heroes in Waiting: the retention (archive tables, retention functions) migrations, run with psql after database_schema.sql
-- (deployment guide, Step 1), from this folder, by a superuser. It stops at the first error; each
-- migration runs in its own transaction and is recorded in flyway_schema_history.
\set ON_ERROR_STOP on

DO $check$
BEGIN
    IF to_regclass('public.flyway_schema_history') IS NULL THEN
        RAISE EXCEPTION 'run database_schema.sql first: this database has no Heroes in Waiting schema';
    END IF;
END
$check$;

SET ROLE heroes_owner;

-- None yet: they arrive with the retention issue, each as
--   \set migration V0nn__what.sql
--   \ir psql/apply_migration.sql

RESET ROLE;
