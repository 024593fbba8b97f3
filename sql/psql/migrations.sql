-- Heroes in Waiting: every migration, in the one order both paths apply them: Flyway
-- (HeroesDatabase.migrate) by version, and psql through the three guide files, which include this
-- list. A new migration is added here, under its version, with the guide file it belongs to:
--   schema     database_schema.sql (tables, roles, row level security, the application's functions)
--   retention  data_retention_policies.sql (policies, archive tables, retention functions)
--   backup     backup_disaster_recovery.sql (backup catalog, verification, recovery plans)
-- Each guide file applies this list in order and stops before the first migration of a later
-- part, so running the three in the guide's order, or only the last, installs every migration in
-- version order whatever order the features arrived in. MigrationListTest keeps this list equal to
-- migrations/.

\set migration V001__base.sql
\set part schema
\ir apply_migration.sql

\set migration V002__jobs.sql
\set part schema
\ir apply_migration.sql

\set migration V003__accounts.sql
\set part schema
\ir apply_migration.sql

\set migration V004__audit.sql
\set part schema
\ir apply_migration.sql

\set migration V005__classrooms.sql
\set part schema
\ir apply_migration.sql

\set migration V006__curriculum.sql
\set part schema
\ir apply_migration.sql

\set migration V007__teaching.sql
\set part schema
\ir apply_migration.sql

\set migration V008__login_throttle.sql
\set part schema
\ir apply_migration.sql

\set migration V009__session_context.sql
\set part schema
\ir apply_migration.sql

\set migration V010__student_join.sql
\set part schema
\ir apply_migration.sql

\set migration V011__curriculum_import.sql
\set part schema
\ir apply_migration.sql

\set migration V012__one_clock.sql
\set part schema
\ir apply_migration.sql

\set migration V013__audit_default_partition.sql
\set part schema
\ir apply_migration.sql

\set migration V014__retention.sql
\set part retention
\ir apply_migration.sql

\set migration V015__retention_batches.sql
\set part retention
\ir apply_migration.sql

\set migration V016__backup_catalog.sql
\set part backup
\ir apply_migration.sql

\set migration V017__backup_holders.sql
\set part backup
\ir apply_migration.sql

\set migration V018__physical_backups.sql
\set part backup
\ir apply_migration.sql

\set migration V019__wal_archiving.sql
\set part backup
\ir apply_migration.sql

\set migration V020__point_in_time_recovery.sql
\set part backup
\ir apply_migration.sql

\set migration V021__disaster_recovery_plans.sql
\set part backup
\ir apply_migration.sql

\set migration V022__audit_month_seals.sql
\set part retention
\ir apply_migration.sql

\set migration V023__recovery_execution.sql
\set part backup
\ir apply_migration.sql

\set migration V024__retention_cascade_guard.sql
\set part retention
\ir apply_migration.sql

\set migration V025__analytics.sql
\set part retention
\ir apply_migration.sql

\set migration V026__analytics_suppression.sql
\set part retention
\ir apply_migration.sql

\set migration V027__analytics_by_classroom.sql
\set part retention
\ir apply_migration.sql
