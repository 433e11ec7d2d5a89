-- Workflow schedules (Conductor's scheduler module) and the record of their
-- runs. next_run_time is when the schedule is next due (epoch ms, 0 when it
-- has no further run); a run writes its execution row and moves
-- next_run_time on in one transaction, and the workflow it starts has an id
-- derived from the schedule and the due time, so a restart in between
-- cannot start it twice.

CREATE TABLE schedules (
    name          TEXT PRIMARY KEY,
    workflow_name TEXT    NOT NULL,
    next_run_time INTEGER NOT NULL,
    json          TEXT    NOT NULL
);

CREATE INDEX schedules_workflow ON schedules (workflow_name, name);

CREATE TABLE schedule_executions (
    id             TEXT PRIMARY KEY,
    schedule_name  TEXT    NOT NULL,
    workflow_name  TEXT    NOT NULL,
    workflow_id    TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    scheduled_time INTEGER NOT NULL,
    execution_time INTEGER NOT NULL,
    json           TEXT    NOT NULL
);

CREATE INDEX schedule_executions_schedule ON schedule_executions (schedule_name, scheduled_time);
CREATE INDEX schedule_executions_time ON schedule_executions (execution_time);
