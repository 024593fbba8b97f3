-- Heroes in Waiting: installs or upgrades the schema and the retention part: policies, archive tables, retention functions.
-- The deployment guide's Step 1, from this folder, by a superuser:
--
--   createdb heroes_in_waiting
--   psql -d heroes_in_waiting -f database_schema.sql
--   psql -d heroes_in_waiting -f data_retention_policies.sql
--   psql -d heroes_in_waiting -f backup_disaster_recovery.sql
--
-- Each of the three files applies the one ordered list of migrations (psql/migrations.sql) up to
-- its part, and is safe to run again: a migration already applied is skipped. Running the three in
-- this order, or only the last, gives the database HeroesDatabase.migrate (Flyway) gives.
\set ON_ERROR_STOP on
\set heroes_through 2
\ir psql/install.sql
