-- Heroes in Waiting: installs or upgrades the schema with psql, as the deployment guide's Step 1:
--
--   createdb heroes_in_waiting
--   psql -d heroes_in_waiting -f database_schema.sql
--   psql -d heroes_in_waiting -f data_retention_policies.sql
--   psql -d heroes_in_waiting -f backup_disaster_recovery.sql
--
-- Run from this folder by a superuser. It stops at the first error. Each migration runs in its
-- own transaction and is recorded in flyway_schema_history, so running this file again applies
-- only what is new, and HeroesDatabase.migrate (Flyway) can take over from here (and the reverse).
\set ON_ERROR_STOP on

\ir bootstrap.sql

-- Every object is owned by heroes_owner, whoever runs this file.
SET ROLE heroes_owner;
\ir psql/history.sql

\set migration V001__base.sql
\ir psql/apply_migration.sql

\set migration V002__jobs.sql
\ir psql/apply_migration.sql

\set migration V003__accounts.sql
\ir psql/apply_migration.sql

\set migration V004__audit.sql
\ir psql/apply_migration.sql

\set migration V005__classrooms.sql
\ir psql/apply_migration.sql

\set migration V006__curriculum.sql
\ir psql/apply_migration.sql

\set migration V007__teaching.sql
\ir psql/apply_migration.sql

\set migration V008__login_throttle.sql
\ir psql/apply_migration.sql

\set migration V009__session_context.sql
\ir psql/apply_migration.sql

\set migration V010__student_join.sql
\ir psql/apply_migration.sql

\set migration V011__curriculum_import.sql
\ir psql/apply_migration.sql

\set migration V012__one_clock.sql
\ir psql/apply_migration.sql

\set migration V013__audit_default_partition.sql
\ir psql/apply_migration.sql

RESET ROLE;
