package api

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// DefaultMaxBodyBytes bounds a request body unless Config says otherwise.
const DefaultMaxBodyBytes = 8 << 20

// Config configures the HTTP handler. Every field has a working default.
type Config struct {
	// Logger receives server faults (5xx, recovered panics) at Error and
	// client mistakes (4xx) at Debug. Defaults to a logger that discards
	// everything.
	Logger *slog.Logger
	// MaxBodyBytes bounds a request body; a larger one is answered 413.
	// Zero or negative means DefaultMaxBodyBytes (8 MiB).
	MaxBodyBytes int64
	// ServerID is the "instance" of every ErrorResponse, as Conductor puts
	// its host name there (Utils.getServerId). Defaults to os.Hostname().
	ServerID string
	// Drain, once done, ends the waits that a request may hold on purpose:
	// long polls answer with no task, synchronous executions with the state
	// so far. The server cancels it when it starts to stop, so that a
	// graceful shutdown need not wait out every long poll. Defaults to a
	// context that is never done.
	Drain context.Context
	// Observe, when set, is called after each request with the ServeMux
	// pattern that served it ("" when no route matched), the status code
	// and the time taken, for metrics. Patterns, unlike paths, are a fixed
	// set. Defaults to nil.
	Observe func(pattern string, code int, d time.Duration)
}

// WithDefaults returns a copy of c with zero fields filled in.
func (c Config) WithDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Drain == nil {
		c.Drain = context.Background()
	}
	if c.ServerID == "" {
		h, _ := os.Hostname()
		c.ServerID = cmp.Or(h, "baton")
	}
	return c
}

// handlerFunc is a route's handler: it writes the success answer itself and
// returns any error for writeError to turn into Conductor's ErrorResponse.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler serves the REST API. Build it with NewHandler.
type Handler struct {
	svc Service
	cfg Config
	mux *http.ServeMux
	// actions holds, per pattern whose last wildcard selects the operation,
	// the operations it knows; the 405 probe consults it (see allowed).
	actions map[string]map[string]handlerFunc
	// patterns lists every pattern routes registers, in order.
	patterns []string
}

// NewHandler returns the REST API on svc, wrapped in panic recovery and the
// body size limit. It panics if svc is nil, a programming error.
func NewHandler(svc Service, cfg Config) http.Handler {
	if svc == nil {
		panic("api: NewHandler needs a Service")
	}
	h := &Handler{svc: svc, cfg: cfg.WithDefaults(), mux: http.NewServeMux(), actions: map[string]map[string]handlerFunc{}}
	h.routes()
	return h
}

// routes registers every route of Conductor's task, workflow, bulk, metadata,
// event and health resources.
// ServeMux refuses two patterns that overlap with neither more specific than
// the other (e.g. GET /tasks/poll/{type} and GET /tasks/{id}/log); where
// Conductor has such pairs, one pattern with an {action} wildcard serves the
// operations whose literal segment comes last, and the pattern with the
// literal first wins, as Spring's more specific mapping does.
func (h *Handler) routes() {
	// Tasks: TaskResource.java.
	h.handle("GET /api/tasks/poll/{tasktype}", h.poll)
	h.handle("GET /api/tasks/poll/batch/{tasktype}", h.batchPoll)
	h.handle("POST /api/tasks/poll/release", h.releasePolls) // Baton's own: pollrelease.go
	h.handle("POST /api/tasks", h.updateTask)
	h.handle("POST /api/tasks/update-v2", h.updateTaskV2)
	h.handle("POST /api/tasks/{workflowId}/{taskRefName}/{status}", h.updateTaskByRefNameOrSignal)
	h.handle("POST /api/tasks/{workflowId}/{taskRefName}/{status}/sync", h.updateTaskByRefNameSync)
	h.handle("POST /api/tasks/{workflowId}/{status}/signal/sync", h.signalSync)
	h.handle("POST /api/tasks/{taskId}/log", h.addTaskLog)
	h.handleActions("GET /api/tasks/{taskId}/{action}", map[string]handlerFunc{"log": h.taskLogs})
	h.handle("GET /api/tasks/{taskId}", h.getTask)
	h.handle("GET /api/tasks/queue/sizes", h.queueSizes)
	h.handle("GET /api/tasks/queue/size", h.queueSize)
	h.handle("GET /api/tasks/queue/all", h.queueAll)
	h.handle("GET /api/tasks/queue/all/verbose", h.queueAllVerbose)
	h.handle("GET /api/tasks/queue/polldata", h.pollData)
	h.handle("GET /api/tasks/queue/polldata/all", h.allPollData)
	h.handle("POST /api/tasks/queue/requeue/{taskType}", h.requeuePending)
	h.handle("GET /api/tasks/search", h.searchTasks)
	h.handle("GET /api/tasks/search-v2", h.searchTasksV2)
	h.handle("GET /api/tasks/externalstoragelocation", h.externalStorage)
	h.handle("GET /api/tasks/external-storage-location", h.externalStorage)

	// Workflows: WorkflowResource.java.
	h.handle("POST /api/workflow", h.startWorkflow)
	h.handle("POST /api/workflow/{name}", h.startWorkflowByName)
	h.handle("POST /api/workflow/execute/{name}/{version}", h.executeWorkflow)
	h.handle("GET /api/workflow/{name}/correlated/{correlationId}", h.byCorrelationID)
	h.handle("POST /api/workflow/{name}/correlated", h.byCorrelationIDs)
	h.handle("GET /api/workflow/{workflowId}", h.getWorkflow)
	h.handleActions("GET /api/workflow/{workflowId}/{action}", map[string]handlerFunc{
		"status": h.workflowStatus,
		"tasks":  h.workflowTasks,
	})
	h.handle("GET /api/workflow/running/{name}", h.runningWorkflows)
	h.handle("DELETE /api/workflow/{workflowId}/remove", h.removeWorkflow)
	h.handle("DELETE /api/workflow/{workflowId}/terminate-remove", h.terminateRemoveWorkflow)
	h.handle("DELETE /api/workflow/{workflowId}", h.terminateWorkflow)
	h.handle("PUT /api/workflow/decide/{workflowId}", h.decideWorkflow)
	h.handleActions("PUT /api/workflow/{workflowId}/{action}", map[string]handlerFunc{
		"pause":  h.pauseWorkflow,
		"resume": h.resumeWorkflow,
	})
	h.handle("PUT /api/workflow/{workflowId}/skiptask/{taskReferenceName}", h.skipTask)
	h.handle("POST /api/workflow/{workflowId}/rerun", h.rerunWorkflow)
	h.handle("POST /api/workflow/{workflowId}/restart", h.restartWorkflow)
	h.handle("POST /api/workflow/{workflowId}/retry", h.retryWorkflow)
	h.handle("POST /api/workflow/{workflowId}/resetcallbacks", h.resetCallbacks)
	h.handle("GET /api/workflow/search", h.searchWorkflows)
	h.handle("GET /api/workflow/search-v2", h.searchWorkflowsV2)
	h.handle("GET /api/workflow/search-by-tasks", h.searchWorkflowsByTasks)
	h.handle("GET /api/workflow/search-by-tasks-v2", h.searchWorkflowsByTasksV2)
	h.handle("GET /api/workflow/externalstoragelocation", h.externalStorage)
	h.handle("GET /api/workflow/external-storage-location", h.externalStorage)
	h.handle("POST /api/workflow/test", h.testWorkflow)

	// Bulk: WorkflowBulkResource.java.
	h.handle("PUT /api/workflow/bulk/pause", h.bulkPause)
	h.handle("PUT /api/workflow/bulk/resume", h.bulkResume)
	h.handle("POST /api/workflow/bulk/restart", h.bulkRestart)
	h.handle("POST /api/workflow/bulk/retry", h.bulkRetry)
	h.handle("POST /api/workflow/bulk/terminate", h.bulkTerminate)
	h.handle("DELETE /api/workflow/bulk/remove", h.bulkRemove)
	h.handle("DELETE /api/workflow/bulk/terminate-remove", h.bulkTerminateRemove)
	h.handle("POST /api/workflow/bulk/search", h.bulkSearch)

	// Metadata: MetadataResource.java.
	h.handle("POST /api/metadata/workflow", h.registerWorkflowDef)
	h.handle("POST /api/metadata/workflow/validate", h.validateWorkflowDef)
	h.handle("PUT /api/metadata/workflow", h.updateWorkflowDefs)
	h.handle("GET /api/metadata/workflow", h.listWorkflowDefs)
	h.handle("GET /api/metadata/workflow/{name}", h.getWorkflowDef)
	h.handle("GET /api/metadata/workflow/names-and-versions", h.workflowNamesAndVersions)
	h.handle("GET /api/metadata/workflow/names", h.workflowNames)
	h.handle("GET /api/metadata/workflow/{name}/versions", h.workflowVersions)
	h.handle("GET /api/metadata/workflow/latest-versions", h.latestWorkflowDefs)
	h.handle("DELETE /api/metadata/workflow/{name}/{version}", h.deleteWorkflowDef)
	h.handle("POST /api/metadata/taskdefs", h.registerTaskDefs)
	h.handle("PUT /api/metadata/taskdefs", h.updateTaskDef)
	h.handle("GET /api/metadata/taskdefs", h.listTaskDefs)
	h.handle("GET /api/metadata/taskdefs/{tasktype}", h.getTaskDef)
	h.handle("DELETE /api/metadata/taskdefs/{tasktype}", h.deleteTaskDef)

	// Event handlers: EventResource.java; queue admin:
	// QueueAdminResource.java (events.go).
	h.handle("POST /api/event", h.addEventHandler)
	h.handle("PUT /api/event", h.updateEventHandler)
	h.handle("GET /api/event", h.eventHandlers)
	h.handle("GET /api/event/{event}", h.eventHandlersForEvent)
	h.handle("DELETE /api/event/{name}", h.deleteEventHandler)
	h.handle("GET /api/queue/{$}", h.queueAdminNames)
	h.handle("GET /api/queue/size", h.queueAdminSizes)
	h.handle("POST /api/queue/update/{workflowId}/{taskRefName}/{status}", h.queueAdminUpdate)
	h.handle("POST /api/queue/update/{workflowId}/task/{taskId}/{status}", h.queueAdminUpdate)

	h.schedulerRoutes()

	// Health: HealthCheckResource.java.
	h.handle("GET /health", h.health)
	h.handle("GET /api/health", h.health)

	// The OpenAPI document of all of the above (openapi.go).
	h.handle("GET /api-docs", h.apiDocs)

	h.mux.HandleFunc("/", h.noRoute)
}

// handle registers fn for pattern.
func (h *Handler) handle(pattern string, fn handlerFunc) {
	h.patterns = append(h.patterns, pattern)
	h.mux.Handle(pattern, h.adapt(fn))
}

// handleActions registers a pattern ending in the {action} wildcard; the
// request's action picks the operation, and an unknown one is answered as
// a path no pattern matched (404, or 405 if another method has it).
func (h *Handler) handleActions(pattern string, ops map[string]handlerFunc) {
	h.actions[pattern] = ops
	h.handle(pattern, func(w http.ResponseWriter, r *http.Request) error {
		op, ok := ops[r.PathValue("action")]
		if !ok {
			h.noRoute(w, r)
			return nil
		}
		return op(w, r)
	})
}

// adapt turns a handlerFunc into an http.Handler that answers its error.
func (h *Handler) adapt(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.writeError(w, r, err)
		}
	})
}
