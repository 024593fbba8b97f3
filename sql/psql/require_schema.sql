-- Stops the including entry file unless database_schema.sql has installed the schema here.
DO $check$
BEGIN
    IF to_regclass('public.flyway_schema_history') IS NULL THEN
        RAISE EXCEPTION 'run database_schema.sql first: this database has no Heroes in Waiting schema';
    END IF;
END
$check$;
