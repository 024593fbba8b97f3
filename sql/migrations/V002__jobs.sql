-- The job scheduler's tables. db-scheduler (16.x) ships no DDL: scheduled_tasks is its reference
-- table for PostgreSQL; job_runs is ours, one row per run of a job, whoever started it.

CREATE TABLE scheduled_tasks (
    task_name text NOT NULL,
    task_instance text NOT NULL,
    task_data bytea,
    execution_time timestamptz NOT NULL,
    picked boolean NOT NULL,
    picked_by text,
    last_success timestamptz,
    last_failure timestamptz,
    consecutive_failures int,
    last_heartbeat timestamptz,
    version bigint NOT NULL,
    priority smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

COMMENT ON TABLE scheduled_tasks IS 'db-scheduler: the next execution of each job, shared by every server instance';

CREATE TABLE job_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name text NOT NULL CHECK (job_name ~ '^[a-z][a-z0-9-]{0,62}$'),
    trigger text NOT NULL CHECK (trigger IN ('scheduler', 'command')),
    instance text NOT NULL CHECK (length(instance) <= 200),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    outcome text NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
    detail text CHECK (length(detail) <= 4000),
    CONSTRAINT job_runs_finished_when_done CHECK ((outcome = 'running') = (finished_at IS NULL)),
    CONSTRAINT job_runs_finish_after_start CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX job_runs_job_name_started_at_idx ON job_runs (job_name, started_at DESC);

COMMENT ON TABLE job_runs IS 'Every run of a scheduled job, from the scheduler or from ./heroes jobs run';
COMMENT ON COLUMN job_runs.detail IS 'What the run did, or why it failed; never personal data';

GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO application_role;
GRANT SELECT, INSERT, UPDATE ON job_runs TO application_role;
GRANT USAGE ON SEQUENCE job_runs_id_seq TO application_role;
GRANT SELECT ON scheduled_tasks, job_runs TO readonly_role;

-- The server reports the schema version in its health check.
GRANT SELECT ON flyway_schema_history TO application_role, readonly_role;
