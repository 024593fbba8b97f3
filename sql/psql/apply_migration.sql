-- Applies one migration file in its own transaction, unless the history already has it.
-- The entry files include it after naming the file:
--   \set migration V001__base.sql
--   \ir psql/apply_migration.sql
SELECT NOT EXISTS (
    SELECT 1
      FROM public.flyway_schema_history
     WHERE success
       AND (version = substring(:'migration' FROM '^V([0-9]+)__')
            OR (type = 'BASELINE'
                AND version::numeric >= substring(:'migration' FROM '^V([0-9]+)__')::numeric))
) AS heroes_pending,
clock_timestamp() AS heroes_started \gset
\if :heroes_pending
\echo applying :migration
BEGIN;
\ir ../migrations/:migration
LOCK TABLE public.flyway_schema_history IN EXCLUSIVE MODE;
INSERT INTO public.flyway_schema_history
    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1,
       substring(:'migration' FROM '^V([0-9]+)__'),
       replace(substring(:'migration' FROM '^V[0-9]+__(.*)\.sql$'), '_', ' '),
       'SQL',
       :'migration',
       NULL,
       current_user,
       (extract(epoch FROM clock_timestamp() - :'heroes_started'::timestamptz) * 1000)::int,
       true
  FROM public.flyway_schema_history;
COMMIT;
\else
\echo already applied: :migration
\endif
