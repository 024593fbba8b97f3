-- Applies one migration file in its own transaction, unless the history already has it, or the
-- including guide file stopped before it. psql/migrations.sql includes it after naming the file
-- and its part:
--   \set migration V001__base.sql
--   \set part schema
--   \ir apply_migration.sql
-- The guide file sets heroes_through (1 schema, 2 retention, 3 backup); the first migration of a
-- later part stops it, so that no migration is ever applied before an earlier one.
SELECT :'heroes_stopped'::boolean
           OR CASE :'part' WHEN 'schema' THEN 1 WHEN 'retention' THEN 2 WHEN 'backup' THEN 3 END > :heroes_through
           AS heroes_stopped,
       NOT EXISTS (
    SELECT 1
      FROM public.flyway_schema_history
     WHERE success
       AND (version = substring(:'migration' FROM '^V([0-9]+)__')
            OR (type = 'BASELINE'
                AND version::numeric >= substring(:'migration' FROM '^V([0-9]+)__')::numeric))
) AS heroes_pending,
clock_timestamp() AS heroes_started \gset
\if :heroes_stopped
\echo later part: :migration
\elif :heroes_pending
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
