package api

import (
	"math"
	"net/http"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/model"
)

// Statuses the operations below name, shortened.
const (
	s204 = http.StatusNoContent
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
	s501 = http.StatusNotImplemented
)

// Parameter descriptions shared by several operations.
const (
	descIncludeTasks  = "Include the workflow's tasks."
	descIncludeClosed = "Include workflows that have ended."
	descArchive       = "Archive the workflow rather than delete it; Baton deletes it either way."
	descReason        = "Why, recorded as the workflow's reasonForIncompletion."
	descWorkerID      = "The worker's id, recorded as the task's workerId and in the poll data."
	descDomain        = "The task domain to poll; none polls the default queue."
)

// Runtime expressions of links: the text/plain id a start answers, and
// values inside JSON answers.
var (
	fromWorkflowID   = map[string]string{"workflowId": "$response.body"}
	fromFirstTaskID  = map[string]string{"taskId": "$response.body#/tasks/0/taskId"}
	fromFirstTaskRef = map[string]string{"workflowId": "$response.body#/workflowId", "taskRefName": "$response.body#/tasks/0/referenceTaskName"}
)

// Examples of request bodies. The inline definition waits (WAIT) so that a
// workflow started from it stays RUNNING for the operations linked to the
// start; the executed one completes at once (SET_VARIABLE).
var (
	exampleWorkflowDef = map[string]any{"name": "example_workflow", "version": 1,
		"tasks": []any{map[string]any{"name": "example_wait", "taskReferenceName": "example_wait", "type": "WAIT"}}}
	exampleQuickDef = map[string]any{"name": "example_quick", "version": 1,
		"tasks": []any{map[string]any{"name": "example_set", "taskReferenceName": "example_set", "type": "SET_VARIABLE",
			"inputParameters": map[string]any{"done": true}}}}
	exampleStart   = map[string]any{"name": "example_workflow", "input": map[string]any{"x": 1}, "workflowDef": exampleWorkflowDef}
	exampleExecute = map[string]any{"input": map[string]any{"x": 1}, "workflowDef": exampleQuickDef}
	exampleTaskDef = map[string]any{"name": "example_task", "retryCount": 1, "timeoutSeconds": 60, "responseTimeoutSeconds": 30}
	// A handler that starts the example workflow; a schedule that starts it
	// every hour.
	exampleEventHandler = map[string]any{"name": "example_handler", "event": "conductor:example_queue", "active": true,
		"actions": []any{map[string]any{"action": "start_workflow",
			"start_workflow": map[string]any{"name": "example_workflow", "input": map[string]any{"x": "${x}"}}}}}
	exampleSchedule = map[string]any{"name": "example_schedule", "cronExpression": "0 0 * * * ?",
		"startWorkflowRequest": map[string]any{"name": "example_workflow", "input": map[string]any{"x": 1}}}
)

// queueStatuses are the statuses the queue admin has a queue for.
var queueStatuses = []model.TaskResultStatus{model.CompletedTask, model.FailedTask}

// fromScheduleName feeds a saved schedule's name to the operations on it.
var fromScheduleName = map[string]string{"name": "$response.body#/name"}

// The POST /api/token operation, served by the authentication guard in
// front of the API rather than by routes().
var tokenOperation = op("POST "+auth.TokenPath, "getToken", "Authentication",
	"Exchange an application key for a token, to send in the "+auth.HeaderName+" header. "+
		"Only when the server requires authentication (off on loopback by default); otherwise 404.",
	jsonBody(tokenRequest{}), answersJSON("The token.", tokenAnswer{}), errs(s404), servedByGuard())

// searchParams are the query parameters of every search.
var searchParams = []opt{
	qint("start", 0, -1, "The offset of the first result. Defaults to 0."),
	qint("size", 0, maxSearchSize, "The most results to answer. Defaults to 100."),
	qparam("sort", "string", "Sort order: field:ASC or field:DESC, several separated by |."),
	qparam("freeText", "string", "Free text to match; * (the default) matches everything."),
	qparam("query", "string", `A condition such as status IN (RUNNING) AND workflowType = "my_workflow".`),
}

// workflowSearchParams add the filters of the workflow searches.
var workflowSearchParams = append(searchParams[:len(searchParams):len(searchParams)],
	qparam("classifier", "string", "Only workflows of these classifiers, separated by commas."),
	qparam("topLevelOnly", "boolean", "Only workflows that are not sub-workflows."),
)

// apiOperations documents every route of routes(), in the same order.
func apiOperations() []apiOperation {
	var ops []apiOperation
	add := func(o ...apiOperation) { ops = append(ops, o...) }

	// Tasks.
	add(
		op("GET /api/tasks/poll/{tasktype}", "poll", "Tasks", "Poll for one task of a type; 204 when none comes within 100 ms.",
			qparam("workerid", "string", descWorkerID), qparam("domain", "string", descDomain), pollerHeader(),
			answersJSON("The task, now IN_PROGRESS.", model.WorkerTask{}), answersEmpty(s204, "No task is waiting."),
			link("GetPolledTask", "getTask", map[string]string{"taskId": "$response.body#/taskId"})),
		op("GET /api/tasks/poll/batch/{tasktype}", "batchPoll", "Tasks", "Poll for up to count tasks, waiting up to timeout ms for the first.",
			qparam("workerid", "string", descWorkerID), qparam("domain", "string", descDomain), pollerHeader(),
			qint("count", 0, -1, "The most tasks to answer (at most 1000 come back). Defaults to 1."),
			qint("timeout", 0, maxPollTimeoutMs, "How long to wait for a task, in milliseconds. Defaults to 100."),
			answersJSON("The tasks, possibly none.", []model.WorkerTask{})),
		op("POST /api/tasks/poll/release", "releasePolls", "Tasks",
			"Baton's own: end the waiting polls of a poller (its Baton-Poller-Id), and any it sends later, with no task.",
			qpollerID(), answersEmpty(s204, "Released.")),
		op("POST /api/tasks", "updateTask", "Tasks", "Record a task's result; answers the task id.",
			jsonBody(model.TaskResult{}), answersText("The task id."), errs(s404, s409)),
		op("POST /api/tasks/update-v2", "updateTaskV2", "Tasks", "Record a task's result and poll the next task of its type.",
			jsonBody(model.TaskResult{}), answersJSON("The next task, now IN_PROGRESS.", model.WorkerTask{}),
			answersEmpty(s204, "The result is recorded; no task is waiting."), errs(s404, s409)),
		op("POST /api/tasks/{workflowId}/{taskRefName}/{status}", "updateTaskByRefName", "Tasks",
			"Complete or fail a workflow's pending task by reference name; the body is merged into its output.",
			pathEnum("status", model.TaskResultStatuses), qparam("workerid", "string", descWorkerID),
			jsonBody(map[string]any{}), answersText("The task id, or an empty body when no task by that name was pending."),
			errs(s404, s409)),
		op("POST /api/tasks/{workflowId}/{status}/signal", "signal", "Tasks", "Signal a workflow's blocking task.",
			jsonBody(map[string]any{}), errs(s501)),
		op("POST /api/tasks/{workflowId}/{taskRefName}/{status}/sync", "updateTaskByRefNameSync", "Tasks",
			"As updateTaskByRefName, then answer the workflow.",
			pathEnum("status", model.TaskResultStatuses), qparam("workerid", "string", descWorkerID),
			jsonBody(map[string]any{}), answersJSON("The workflow with its tasks.", model.Workflow{}), errs(s404, s409)),
		op("POST /api/tasks/{workflowId}/{status}/signal/sync", "signalSync", "Tasks", "Signal a workflow's blocking task and wait.",
			jsonBody(map[string]any{}), errs(s501)),
		op("POST /api/tasks/{taskId}/log", "addTaskLog", "Tasks", "Add a line to a task's log; the body is the line.",
			textBody("The log line."), answersEmpty(http.StatusOK, "The line is recorded."), errs(s404)),
		op("GET /api/tasks/{taskId}/log", "getTaskLogs", "Tasks", "A task's log lines; 204 when it has none.",
			answersJSON("The log lines, oldest first.", []model.TaskExecLog{}), answersEmpty(s204, "No log lines.")),
		op("GET /api/tasks/{taskId}", "getTask", "Tasks", "A task by id.",
			answersJSON("The task.", model.WorkerTask{}), errs(s404)),
		op("GET /api/tasks/queue/sizes", "queueSizes", "Tasks", "The queue sizes of task types (deprecated in Conductor).",
			qlistRequired("taskType", "The task types, repeated or separated by commas."),
			answersJSON("Task type → tasks waiting.", map[string]int{})),
		op("GET /api/tasks/queue/size", "queueSize", "Tasks", "The number of tasks of a type waiting to be polled.",
			qrequired("taskType", "The task type."), qparam("domain", "string", "The task domain."),
			qparam("isolationGroupId", "string", "Ignored: Baton has no isolation groups."),
			qparam("executionNamespace", "string", "Ignored: Baton has no execution namespaces."),
			answersJSON("The number of tasks waiting.", 0)),
		op("GET /api/tasks/queue/all", "allQueues", "Tasks", "Every queue's size.",
			answersJSON(`Queue ("type" or "domain:type") → tasks waiting.`, map[string]int64{})),
		op("GET /api/tasks/queue/all/verbose", "allQueuesVerbose", "Tasks", "Every queue's size, per shard (Baton has one shard, a).",
			answersJSON("Queue → shard → size and uacked.", map[string]map[string]map[string]int64{})),
		op("GET /api/tasks/queue/polldata", "pollData", "Tasks", "The last poll of a task type, per domain.",
			qrequired("taskType", "The task type."), answersJSON("The poll data.", []model.PollData{})),
		op("GET /api/tasks/queue/polldata/all", "allPollData", "Tasks", "The last poll of every task type.",
			answersJSON("The poll data.", []model.PollData{})),
		op("POST /api/tasks/queue/requeue/{taskType}", "requeuePendingTasks", "Tasks", "Put a type's pending tasks back in its queue.",
			answersText("How many tasks were requeued.")),
		op("GET /api/tasks/search", "searchTasks", "Tasks", "Search tasks; answers summaries.",
			append(searchParams, answersJSON("One page of task summaries.", model.SearchResult[model.TaskSummary]{}))...),
		op("GET /api/tasks/search-v2", "searchTasksV2", "Tasks", "Search tasks; answers whole tasks.",
			append(searchParams, answersJSON("One page of tasks.", model.SearchResult[*model.WorkerTask]{}))...),
		op("GET /api/tasks/externalstoragelocation", "taskExternalStorageLocation", "Tasks",
			"Where to store a large payload; Baton keeps payloads inline.", errs(s501)),
		op("GET /api/tasks/external-storage-location", "taskExternalStorageLocation2", "Tasks",
			"Where to store a large payload; Baton keeps payloads inline.", errs(s501)),
	)

	// Workflows.
	startLinks := []opt{
		link("GetWorkflow", "getWorkflow", fromWorkflowID),
		link("GetWorkflowStatus", "getWorkflowStatus", fromWorkflowID),
		link("GetWorkflowTasks", "getWorkflowTasks", fromWorkflowID),
		link("PauseWorkflow", "pauseWorkflow", fromWorkflowID),
		link("ResumeWorkflow", "resumeWorkflow", fromWorkflowID),
		link("TerminateWorkflow", "terminateWorkflow", fromWorkflowID),
		link("RestartWorkflow", "restartWorkflow", fromWorkflowID),
		link("RetryWorkflow", "retryWorkflow", fromWorkflowID),
		link("RerunWorkflow", "rerunWorkflow", fromWorkflowID),
		link("ResetCallbacks", "resetCallbacks", fromWorkflowID),
		link("RemoveWorkflow", "removeWorkflow", fromWorkflowID),
		link("UpdateTaskByRefName", "updateTaskByRefName", fromWorkflowID),
	}
	add(
		op("POST /api/workflow", "startWorkflow", "Workflows", "Start a workflow; answers its id.",
			append([]opt{jsonBody(model.StartWorkflowRequest{}), example(exampleStart), answersText("The workflow id."),
				errs(s404, s409)}, startLinks...)...),
		// The path of GET and DELETE /api/workflow/{workflowId}: OpenAPI has
		// no two paths that differ only in a parameter's name. Here the
		// segment is the definition's name.
		op("POST /api/workflow/{workflowId}", "startWorkflowByName", "Workflows",
			"Start a workflow by the name of its definition (the path segment); the body is its input.",
			append([]opt{
				qint("version", math.MinInt32, -1, "The definition's version; the latest when absent."),
				qparam("correlationId", "string", "The workflow's correlation id."),
				qint("priority", 0, 99, "The workflow's priority. Defaults to 0."),
				jsonBody(map[string]any{}), example(map[string]any{"x": 1}), answersText("The workflow id."), errs(s404, s409),
			}, startLinks...)...),
		op("POST /api/workflow/execute/{name}/{version}", "executeWorkflow", "Workflows",
			"Start a workflow and wait for it (or the named tasks) to finish or block.",
			pathInteger("version"),
			qparam("requestId", "string", "The caller's id for the request, echoed."),
			qparam("waitUntilTaskRef", "string", "Task reference names, separated by commas, to wait for."),
			qint("waitForSeconds", 0, -1, "How long to wait; 0 means the default, 10."),
			qparam("consistency", "string", "Ignored: Baton is always durable."),
			qenum("returnStrategy", returnStrategies, "What to answer. Defaults to TARGET_WORKFLOW."),
			jsonBody(model.StartWorkflowRequest{}), example(exampleExecute),
			// Conductor's NotificationResult.toResponse gives null for a
			// blocking-task strategy when no task blocks.
			answersJSONOrNull("The workflow or task, as returnStrategy asks; null for BLOCKING_TASK or "+
				"BLOCKING_TASK_INPUT when no task blocks.", model.SignalResponse{}),
			errs(s404, s409)),
		op("GET /api/workflow/{name}/correlated/{correlationId}", "getWorkflowsByCorrelationId", "Workflows",
			"The workflows of a name with a correlation id.",
			qparam("includeClosed", "boolean", descIncludeClosed), qparam("includeTasks", "boolean", descIncludeTasks),
			answersJSON("The workflows.", []*model.Workflow{})),
		op("POST /api/workflow/{name}/correlated", "getWorkflowsByCorrelationIds", "Workflows",
			"The workflows of a name for each of several correlation ids.",
			qparam("includeClosed", "boolean", descIncludeClosed), qparam("includeTasks", "boolean", descIncludeTasks),
			jsonBody([]string{}), answersJSON("Correlation id → workflows.", map[string][]*model.Workflow{})),
		op("GET /api/workflow/{workflowId}", "getWorkflow", "Workflows", "A workflow by id.",
			qparam("includeTasks", "boolean", descIncludeTasks+" Defaults to true."),
			answersJSON("The workflow.", model.Workflow{}), errs(s404),
			link("GetFirstTask", "getTask", fromFirstTaskID),
			link("LogFirstTask", "addTaskLog", fromFirstTaskID),
			link("GetFirstTaskLogs", "getTaskLogs", fromFirstTaskID),
			link("UpdateFirstTask", "updateTaskByRefName", fromFirstTaskRef),
			link("UpdateFirstTaskSync", "updateTaskByRefNameSync", fromFirstTaskRef),
			link("SkipFirstTask", "skipTaskFromWorkflow", map[string]string{
				"workflowId": "$response.body#/workflowId", "taskReferenceName": "$response.body#/tasks/0/referenceTaskName"})),
		op("GET /api/workflow/{workflowId}/status", "getWorkflowStatus", "Workflows", "A workflow's status.",
			qparam("includeOutput", "boolean", "Include the output."), qparam("includeVariables", "boolean", "Include the variables."),
			answersJSON("The status.", model.WorkflowState{}), errs(s404)),
		op("GET /api/workflow/{workflowId}/tasks", "getWorkflowTasks", "Workflows", "One page of a workflow's tasks.",
			qint("start", 0, -1, "The offset of the first task. Defaults to 0."),
			qint("count", 0, -1, "The most tasks to answer. Defaults to 15."),
			qlist("status", "Only tasks in these statuses."),
			answersJSON("One page of tasks.", model.SearchResult[model.WorkerTask]{}), errs(s404)),
		op("GET /api/workflow/running/{name}", "getRunningWorkflows", "Workflows", "The ids of a definition's running workflows.",
			qint("version", math.MinInt32, -1, "The definition's version. Defaults to 1."),
			qint64("startTime", "Only workflows started at or after this time (epoch ms)."),
			qint64("endTime", "Only workflows started at or before this time (epoch ms)."),
			answersJSON("The workflow ids.", []string{})),
		op("DELETE /api/workflow/{workflowId}/remove", "removeWorkflow", "Workflows", "Delete a workflow.",
			qparam("archiveWorkflow", "boolean", descArchive), answersEmpty(http.StatusOK, "Deleted."), errs(s404, s409)),
		op("DELETE /api/workflow/{workflowId}/terminate-remove", "terminateRemoveWorkflow", "Workflows", "Terminate, then delete a workflow.",
			qparam("reason", "string", descReason), qparam("archiveWorkflow", "boolean", descArchive),
			answersEmpty(http.StatusOK, "Deleted."), errs(s404, s409)),
		op("DELETE /api/workflow/{workflowId}", "terminateWorkflow", "Workflows", "Terminate a workflow.",
			qparam("reason", "string", descReason), answersEmpty(http.StatusOK, "Terminated, or had ended already."), errs(s404, s409)),
		op("PUT /api/workflow/decide/{workflowId}", "decideWorkflow", "Workflows", "Run the decider on a workflow (Baton decides on every change).",
			answersEmpty(http.StatusOK, "Done."), errs(s404)),
		op("PUT /api/workflow/{workflowId}/pause", "pauseWorkflow", "Workflows", "Pause a running workflow.",
			answersEmpty(http.StatusOK, "Paused."), errs(s404, s409)),
		op("PUT /api/workflow/{workflowId}/resume", "resumeWorkflow", "Workflows", "Resume a paused workflow.",
			answersEmpty(http.StatusOK, "Resumed."), errs(s404, s409)),
		op("PUT /api/workflow/{workflowId}/skiptask/{taskReferenceName}", "skipTaskFromWorkflow", "Workflows",
			"Skip a task that has not run yet. The body (optional) or taskInput[key]/taskOutput[key] query parameters give its input and output.",
			optionalJSONBody(model.SkipTaskRequest{}), answersEmpty(http.StatusOK, "Skipped."), errs(s404, s409)),
		op("POST /api/workflow/{workflowId}/rerun", "rerunWorkflow", "Workflows", "Rerun a workflow from a task; answers its id.",
			jsonBody(model.RerunWorkflowRequest{}), answersText("The workflow id."), errs(s404, s409)),
		op("POST /api/workflow/{workflowId}/restart", "restartWorkflow", "Workflows", "Restart an ended workflow from the beginning.",
			qparam("useLatestDefinitions", "boolean", "Use the latest definitions."), answersEmpty(s204, "Restarted."), errs(s404, s409)),
		op("POST /api/workflow/{workflowId}/retry", "retryWorkflow", "Workflows", "Retry an ended workflow's last failed task.",
			qparam("resumeSubworkflowTasks", "boolean", "Retry inside the failed sub-workflow."), answersEmpty(s204, "Retried."), errs(s404, s409)),
		op("POST /api/workflow/{workflowId}/resetcallbacks", "resetCallbacks", "Workflows", "Make a workflow's tasks waiting on callbackAfterSeconds pollable now.",
			answersEmpty(s204, "Done."), errs(s404, s409)),
		op("GET /api/workflow/search", "searchWorkflows", "Workflows", "Search workflows; answers summaries.",
			append(workflowSearchParams, answersJSON("One page of workflow summaries.", model.SearchResult[workflowSummary]{}))...),
		op("GET /api/workflow/search-v2", "searchWorkflowsV2", "Workflows", "Search workflows; answers whole workflows.",
			append(workflowSearchParams, answersJSON("One page of workflows.", model.SearchResult[*model.Workflow]{}))...),
		op("GET /api/workflow/search-by-tasks", "searchWorkflowsByTasks", "Workflows", "The workflows of the tasks that match; answers summaries.",
			append(searchParams, answersJSON("One page of workflow summaries.", model.SearchResult[workflowSummary]{}))...),
		op("GET /api/workflow/search-by-tasks-v2", "searchWorkflowsByTasksV2", "Workflows", "The workflows of the tasks that match.",
			append(searchParams, answersJSON("One page of workflows.", model.SearchResult[*model.Workflow]{}))...),
		op("GET /api/workflow/externalstoragelocation", "workflowExternalStorageLocation", "Workflows",
			"Where to store a large payload; Baton keeps payloads inline.", errs(s501)),
		op("GET /api/workflow/external-storage-location", "workflowExternalStorageLocation2", "Workflows",
			"Where to store a large payload; Baton keeps payloads inline.", errs(s501)),
		op("POST /api/workflow/test", "testWorkflow", "Workflows", "Run a workflow with mocked task outputs.",
			jsonBody(map[string]any{}), errs(s501)),
	)

	// Bulk operations: at most 1000 ids; each id's outcome in the answer.
	bulk := func(route, id, summary string, opts ...opt) apiOperation {
		return op(route, id, "Bulk", summary, append([]opt{jsonBody([]string{}), bodyItems(1, maxBulkItems),
			answersJSON("The ids that succeeded and each failure's message.", model.BulkResponse[string]{})}, opts...)...)
	}
	add(
		bulk("PUT /api/workflow/bulk/pause", "bulkPause", "Pause workflows."),
		bulk("PUT /api/workflow/bulk/resume", "bulkResume", "Resume workflows."),
		bulk("POST /api/workflow/bulk/restart", "bulkRestart", "Restart workflows.",
			qparam("useLatestDefinitions", "boolean", "Use the latest definitions.")),
		bulk("POST /api/workflow/bulk/retry", "bulkRetry", "Retry workflows."),
		bulk("POST /api/workflow/bulk/terminate", "bulkTerminate", "Terminate workflows.", qparam("reason", "string", descReason)),
		bulk("DELETE /api/workflow/bulk/remove", "bulkRemove", "Delete workflows.", qparam("archiveWorkflow", "boolean", descArchive)),
		bulk("DELETE /api/workflow/bulk/terminate-remove", "bulkTerminateRemove", "Terminate, then delete workflows.",
			qparam("reason", "string", descReason), qparam("archiveWorkflow", "boolean", descArchive)),
		op("POST /api/workflow/bulk/search", "bulkSearch", "Bulk", "Get workflows by id.",
			qparam("includeTasks", "boolean", descIncludeTasks+" Defaults to true."), jsonBody([]string{}), bodyItems(1, maxBulkItems),
			answersJSON("The workflows found and each failure's message.", model.BulkResponse[*model.Workflow]{})),
	)

	// Metadata.
	add(
		op("POST /api/metadata/workflow", "registerWorkflowDef", "Metadata", "Register a workflow definition.",
			qparam("overwrite", "boolean", "Replace an existing version."), jsonBody(model.WorkflowDef{}), example(exampleWorkflowDef),
			answersEmpty(http.StatusOK, "Registered."), errs(s404, s409),
			link("StartRegistered", "startWorkflowByName", map[string]string{"workflowId": "$request.body#/name"}),
			link("ExecuteRegistered", "executeWorkflow", map[string]string{"name": "$request.body#/name", "version": "$request.body#/version"}),
			link("GetRegistered", "getWorkflowDef", map[string]string{"name": "$request.body#/name"}),
			link("DeleteRegistered", "unregisterWorkflowDef", map[string]string{"name": "$request.body#/name", "version": "$request.body#/version"})),
		op("POST /api/metadata/workflow/validate", "validateWorkflowDef", "Metadata", "Validate a workflow definition without registering it.",
			jsonBody(model.WorkflowDef{}), example(exampleWorkflowDef), answersEmpty(http.StatusOK, "Valid."), errs(s404)),
		op("PUT /api/metadata/workflow", "updateWorkflowDefs", "Metadata", "Create or replace workflow definitions.",
			jsonBody([]model.WorkflowDef{}), bodyItems(1, -1), example([]any{exampleWorkflowDef, exampleQuickDef}), answersJSON("The definitions saved and each failure.", model.BulkResponse[string]{}), errs(s404)),
		op("GET /api/metadata/workflow", "getWorkflowDefs", "Metadata", "Every workflow definition, every version.",
			qparam("classifier", "string", "Only definitions of this classifier."),
			qparam("access", "string", "Ignored: Baton has no access control."),
			qparam("metadata", "boolean", "Ignored."), qparam("tagKey", "string", "Ignored."), qparam("tagValue", "string", "Ignored."),
			answersJSON("The definitions, by name and version.", []model.WorkflowDef{})),
		op("GET /api/metadata/workflow/{name}", "getWorkflowDef", "Metadata", "A workflow definition.",
			qint("version", math.MinInt32, -1, "The version; the latest when absent."),
			answersJSON("The definition.", model.WorkflowDef{}), errs(s404)),
		op("GET /api/metadata/workflow/names-and-versions", "getWorkflowNamesAndVersions", "Metadata", "Every definition's name and versions.",
			answersJSON("Name → versions.", map[string][]model.WorkflowDefSummary{})),
		op("GET /api/metadata/workflow/names", "getWorkflowNames", "Metadata", "Every definition's name.",
			answersJSON("The names, sorted.", []string{})),
		op("GET /api/metadata/workflow/{name}/versions", "getWorkflowVersions", "Metadata", "A definition's versions.",
			answersJSON("The versions, oldest first.", []model.WorkflowDefSummary{})),
		op("GET /api/metadata/workflow/latest-versions", "getLatestWorkflowDefs", "Metadata", "The latest version of every definition.",
			answersJSON("The definitions.", []model.WorkflowDef{})),
		op("DELETE /api/metadata/workflow/{name}/{version}", "unregisterWorkflowDef", "Metadata", "Delete a version of a workflow definition.",
			pathInteger("version"), answersEmpty(http.StatusOK, "Deleted."), errs(s404, s409)),
		op("POST /api/metadata/taskdefs", "registerTaskDefs", "Metadata", "Create or replace task definitions.",
			jsonBody([]model.TaskDef{}), bodyItems(1, -1), namedBody(), example([]any{exampleTaskDef}), answersEmpty(http.StatusOK, "Saved."),
			link("GetSaved", "getTaskDef", map[string]string{"tasktype": "$request.body#/0/name"}),
			link("DeleteSaved", "unregisterTaskDef", map[string]string{"tasktype": "$request.body#/0/name"})),
		op("PUT /api/metadata/taskdefs", "updateTaskDef", "Metadata", "Replace a task definition.",
			jsonBody(model.TaskDef{}), namedBody(), example(exampleTaskDef), answersEmpty(http.StatusOK, "Saved."), errs(s404)),
		op("GET /api/metadata/taskdefs", "getTaskDefs", "Metadata", "Every task definition.",
			qparam("access", "string", "Ignored: Baton has no access control."),
			qparam("metadata", "boolean", "Ignored."), qparam("tagKey", "string", "Ignored."), qparam("tagValue", "string", "Ignored."),
			answersJSON("The definitions.", []model.TaskDef{})),
		op("GET /api/metadata/taskdefs/{tasktype}", "getTaskDef", "Metadata", "A task definition.",
			qparam("metadata", "boolean", "Ignored."), answersJSON("The definition.", model.TaskDef{}), errs(s404)),
		op("DELETE /api/metadata/taskdefs/{tasktype}", "unregisterTaskDef", "Metadata", "Delete a task definition.",
			answersEmpty(http.StatusOK, "Deleted."), errs(s404, s409)),
	)

	// Event handlers and the queue admin (events.go).
	eventLinks := []opt{
		link("GetHandlersForEvent", "getEventHandlersForEvent", map[string]string{"name": "$request.body#/event"}),
		link("RemoveHandler", "removeEventHandler", map[string]string{"name": "$request.body#/name"}),
	}
	add(
		op("POST /api/event", "addEventHandler", "Events", "Add an event handler.",
			append([]opt{jsonBody(model.EventHandler{}), example(exampleEventHandler),
				answersEmpty(http.StatusOK, "Added."), errs(s409)}, eventLinks...)...),
		op("PUT /api/event", "updateEventHandler", "Events", "Replace an event handler by name.",
			append([]opt{jsonBody(model.EventHandler{}), example(exampleEventHandler),
				answersEmpty(http.StatusOK, "Replaced."), errs(s404)}, eventLinks...)...),
		op("GET /api/event", "getEventHandlers", "Events", "Every event handler, sorted by name.",
			answersJSON("The handlers.", []model.EventHandler{})),
		// One template for both: OpenAPI has no two paths that differ only
		// in a parameter's name ({event} in Conductor's GET).
		op("GET /api/event/{name}", "getEventHandlersForEvent", "Events",
			"The event handlers of an event (the path segment, e.g. conductor:orders:placed).",
			qparam("activeOnly", "boolean", "Only active handlers. Defaults to true."),
			answersJSON("The handlers.", []model.EventHandler{})),
		op("DELETE /api/event/{name}", "removeEventHandler", "Events", "Delete an event handler by name.",
			answersEmpty(http.StatusOK, "Deleted."), errs(s404)),
		op("GET /api/queue/", "getQueueAdminNames", "Events", "The conductor queue that completes (or fails) tasks, per status.",
			answersJSON("Status → queue name.", map[string]string{})),
		op("GET /api/queue/size", "getQueueAdminSizes", "Events", "How many messages wait on each of those queues.",
			answersJSON("Queue name → messages waiting.", map[string]int{})),
		op("POST /api/queue/update/{workflowId}/{taskRefName}/{status}", "queueUpdateByRefName", "Events",
			"Publish a message that gives a workflow's pending task (by reference name) the status, and the body as output, once handled.",
			pathEnum("status", queueStatuses), jsonBody(map[string]any{}), example(map[string]any{"approved": true}),
			answersEmpty(http.StatusOK, "Published.")),
		op("POST /api/queue/update/{workflowId}/task/{taskId}/{status}", "queueUpdateByTaskId", "Events",
			"Publish a message that gives a workflow's pending task (by id) the status, and the body as output, once handled.",
			pathEnum("status", queueStatuses), jsonBody(map[string]any{}), example(map[string]any{"approved": true}),
			answersEmpty(http.StatusOK, "Published.")),
	)

	// Schedules (scheduler.go).
	scheduleLinks := []opt{
		link("GetSchedule", "getSchedule", fromScheduleName),
		link("PauseSchedule", "pauseSchedule", fromScheduleName),
		link("ResumeSchedule", "resumeSchedule", fromScheduleName),
		link("DeleteSchedule", "deleteSchedule", fromScheduleName),
		link("NextRuns", "getNextFewSchedules", map[string]string{"cronExpression": "$response.body#/cronExpression"}),
	}
	add(
		op("POST /api/scheduler/schedules", "saveSchedule", "Schedules", "Create or replace a schedule; answers it as stored.",
			append([]opt{jsonBody(model.WorkflowSchedule{}), example(exampleSchedule),
				answersJSON("The schedule, with its times and zone filled in.", model.WorkflowSchedule{})}, scheduleLinks...)...),
		op("GET /api/scheduler/schedules", "getAllSchedules", "Schedules", "Every schedule, or those of one workflow.",
			qparam("workflowName", "string", "Only the schedules that start this workflow."),
			answersJSON("The schedules, sorted by name.", []model.WorkflowSchedule{})),
		op("GET /api/scheduler/schedules/search", "searchSchedules", "Schedules", "Search schedules.",
			qparam("workflowName", "string", "Only the schedules that start this workflow."),
			qparam("scheduleName", "string", "Only schedules whose name contains this."),
			qparam("paused", "boolean", "Only paused (true) or running (false) schedules."),
			qparam("freeText", "string", "Text the name or description contains; * (the default) matches everything."),
			qint("start", 0, -1, "The offset of the first result. Defaults to 0."),
			qint("size", 0, -1, "The most results to answer. Defaults to 100."),
			qparam("sort", "string", "name, createTime or updatedTime, each with :ASC or :DESC, separated by commas."),
			answersJSON("One page of schedules.", model.SearchResult[*model.WorkflowSchedule]{})),
		op("GET /api/scheduler/schedules/{name}", "getSchedule", "Schedules", "A schedule by name.",
			answersJSON("The schedule.", model.WorkflowSchedule{}), errs(s404)),
		op("DELETE /api/scheduler/schedules/{name}", "deleteSchedule", "Schedules", "Delete a schedule; its executions stay searchable.",
			answersEmpty(http.StatusOK, "Deleted, or there was no such schedule.")),
		op("PUT /api/scheduler/schedules/{name}/pause", "pauseSchedule", "Schedules", "Stop a schedule's runs until it is resumed.",
			qparam("reason", "string", "Why, recorded as the schedule's pausedReason."),
			answersEmpty(http.StatusOK, "Paused."), errs(s404)),
		op("PUT /api/scheduler/schedules/{name}/resume", "resumeSchedule", "Schedules",
			"Resume a paused schedule from now; 404 for a schedule that is not paused, as in Conductor.",
			answersEmpty(http.StatusOK, "Resumed."), errs(s404)),
		op("GET /api/scheduler/nextFewSchedules", "getNextFewSchedules", "Schedules", "The next run times of a cron expression, in UTC.",
			qrequired("cronExpression", "A Quartz cron expression with seconds, e.g. 0 0 * * * ?."), paramExample("cronExpression", "0 0 * * * ?"),
			qint64("scheduleStartTime", "The first time a run may happen (epoch ms); now when absent."),
			qint64("scheduleEndTime", "The last time a run may happen (epoch ms)."),
			qint("limit", math.MinInt32, -1, "The most times to answer (at most 5). Defaults to 5."),
			answersJSON("The run times (epoch ms), earliest first.", []int64{})),
		op("GET /api/scheduler/search/executions", "searchScheduleExecutions", "Schedules", "Search the runs of schedules.",
			qparam("query", "string", `A condition such as scheduleName = "nightly" AND state IN (EXECUTED).`),
			qparam("freeText", "string", "Free text to match; * (the default) matches everything."),
			qint("start", 0, -1, "The offset of the first result. Defaults to 0."),
			qint("size", 0, -1, "The most results to answer. Defaults to 100."),
			qparam("sort", "string", "Sort order: field:ASC or field:DESC, separated by commas."),
			answersJSON("One page of executions.", model.SearchResult[*model.WorkflowScheduleExecution]{})),
		op("GET /api/scheduler/admin/pause", "pauseAllSchedules", "Schedules", "Stop every schedule's runs on this server, without changing the schedules.",
			answersJSON(`{"status": "done"}.`, map[string]string{})),
		op("GET /api/scheduler/admin/resume", "resumeAllSchedules", "Schedules", "Restart every schedule's runs on this server.",
			answersJSON(`{"status": "done"}.`, map[string]string{})),
		op("PUT /api/scheduler/bulk/pause", "pauseSchedules", "Schedules", "Pause schedules by name.",
			jsonBody([]string{}), bodyItems(1, maxBulkItems), example([]string{"example_schedule"}),
			answersJSON("The names that succeeded and each failure's message.", model.BulkResponse[string]{})),
		op("PUT /api/scheduler/bulk/resume", "resumeSchedules", "Schedules", "Resume schedules by name.",
			jsonBody([]string{}), bodyItems(1, maxBulkItems), example([]string{"example_schedule"}),
			answersJSON("The names that succeeded and each failure's message.", model.BulkResponse[string]{})),
	)

	// Health and this document.
	add(
		op("GET /health", "health", "Health", "Whether the server is up.", answersJSON("Healthy.", model.HealthCheckStatus{}), noAuth()),
		op("GET /api/health", "apiHealth", "Health", "Whether the server is up.", answersJSON("Healthy.", model.HealthCheckStatus{}), noAuth()),
		op("GET /api-docs", "apiDocs", "Health", "This document.", answersJSON("The OpenAPI document.", map[string]any{})),
	)
	// Served by the authentication guard in front of the API.
	add(tokenOperation)
	return ops
}

// pathEnum restricts a string path parameter to names.
func pathEnum[T ~string](name string, values []T) opt {
	return func(o *apiOperation) {
		if o.pathEnums == nil {
			o.pathEnums = map[string][]string{}
		}
		o.pathEnums[name] = names(values)
	}
}

// optionalJSONBody documents a JSON body that may be left out.
func optionalJSONBody(v any) opt {
	return func(o *apiOperation) {
		o.body = &apiBody{json: v, optional: true}
		errs(http.StatusRequestEntityTooLarge)(o)
	}
}

// qenum documents a query parameter that takes one of names.
func qenum[T ~string](name string, values []T, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc,
			"schema": jsonObject{"type": "string", "enum": names(values)}})
	}
}

// paramExample gives the query parameter name an example value.
func paramExample(name string, v any) opt {
	return func(o *apiOperation) {
		for _, p := range o.params {
			if p["name"] == name {
				p["example"] = v
			}
		}
	}
}

// qint64 documents a 64-bit integer query parameter.
func qint64(name, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc,
			"schema": jsonObject{"type": "integer", "format": "int64"}})
	}
}
