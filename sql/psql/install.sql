-- What each guide file does, up to its part (heroes_through, set by the guide file): the
-- superuser's bootstrap, then, as heroes_owner so that it owns every object whoever runs the file,
-- the migration history and the migrations of psql/migrations.sql in order. It stops at the
-- first error; each migration runs in its own transaction and is recorded in
-- flyway_schema_history, so running a file again applies only what is new, and
-- HeroesDatabase.migrate (Flyway) can take over from here (and the reverse).
\set ON_ERROR_STOP on

\ir ../bootstrap.sql

SET ROLE heroes_owner;
\ir history.sql
\set heroes_stopped false
\ir migrations.sql
RESET ROLE;
