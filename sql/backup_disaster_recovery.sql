-- Heroes in Waiting: the backup and disaster recovery migrations (backup log, verification,
-- recovery plans), run with psql after database_schema.sql
-- (deployment guide, Step 1), from this folder, by a superuser. It stops at the first error; each
-- migration runs in its own transaction and is recorded in flyway_schema_history.
\set ON_ERROR_STOP on

\ir psql/require_schema.sql

SET ROLE heroes_owner;

-- None yet: they arrive with the backup issue, each as
--   \set migration V0nn__what.sql
--   \ir psql/apply_migration.sql

RESET ROLE;
