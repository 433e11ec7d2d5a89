-- Baton's first schema. Every record is kept whole as JSON (the model type,
-- encoded with encoding/json); the other columns are copies of the fields
-- that lookups, searches and sorts need.

-- "Batn": marks the file as Baton's, so Open refuses other SQLite files.
PRAGMA application_id = 1113683054;

CREATE TABLE task_defs (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE workflow_defs (
    name    TEXT    NOT NULL,
    version INTEGER NOT NULL,
    json    TEXT    NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE workflows (
    id             TEXT PRIMARY KEY,
    name           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    correlation_id TEXT    NOT NULL,
    create_time    INTEGER NOT NULL,
    update_time    INTEGER NOT NULL,
    end_time       INTEGER NOT NULL,
    priority       INTEGER NOT NULL,
    json           TEXT    NOT NULL
);
-- NonTerminalWorkflows, and status filters in the default search order.
CREATE INDEX workflows_status_create_time ON workflows (status, create_time);
-- The default search order, alone and with workflowType filters.
CREATE INDEX workflows_create_time ON workflows (create_time);
CREATE INDEX workflows_name_create_time ON workflows (name, create_time);
CREATE INDEX workflows_correlation_id ON workflows (correlation_id) WHERE correlation_id <> '';

CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    workflow_id       TEXT    NOT NULL,
    seq               INTEGER NOT NULL,
    ref_name          TEXT    NOT NULL,
    task_type         TEXT    NOT NULL,
    task_def_name     TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    domain            TEXT    NOT NULL,
    workflow_type     TEXT    NOT NULL,
    correlation_id    TEXT    NOT NULL,
    workflow_priority INTEGER NOT NULL,
    scheduled_time    INTEGER NOT NULL,
    start_time        INTEGER NOT NULL,
    end_time          INTEGER NOT NULL,
    update_time       INTEGER NOT NULL,
    json              TEXT    NOT NULL
);
-- GetWorkflowTasks and deleting a workflow's tasks.
CREATE INDEX tasks_workflow_seq ON tasks (workflow_id, seq);
-- NonTerminalTasks, and status filters in the default search order.
CREATE INDEX tasks_status_scheduled_time ON tasks (status, scheduled_time);
-- The default search order.
CREATE INDEX tasks_scheduled_time ON tasks (scheduled_time);

CREATE TABLE task_logs (
    id           INTEGER PRIMARY KEY, -- insertion order
    task_id      TEXT    NOT NULL,
    created_time INTEGER NOT NULL,
    log          TEXT    NOT NULL
);
CREATE INDEX task_logs_task ON task_logs (task_id, id);
