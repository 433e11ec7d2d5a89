package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// Buckets, in seconds. Request-sized latencies use the cross-SDK Conductor
// buckets the worker's metrics use; task times reach into hours.
var (
	latencyBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	taskBuckets    = []float64{0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600}
	commitBuckets  = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}
	batchBuckets   = []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}
)

// Metrics is the server's set of collectors. It is the engine's Observer;
// Commit and Request are the SQLite writer's and the HTTP handler's hooks.
type Metrics struct {
	reg *prometheus.Registry

	wfStarted, wfFinished *prometheus.CounterVec
	pollTime              *prometheus.HistogramVec
	updateTime            *prometheus.HistogramVec
	taskExec, taskWait    *prometheus.HistogramVec
	commitTime            prometheus.Histogram
	commitBatch           prometheus.Histogram
	httpRequests          *prometheus.CounterVec
	httpTime              *prometheus.HistogramVec

	// Children without labels from the request, made once; the others
	// cached by their label values.
	pollTask, pollEmpty prometheus.Observer
	started             *children[string, prometheus.Counter]
	finished            *children[pair, prometheus.Counter]
	updated             *children[string, prometheus.Observer]
	waited              *children[string, prometheus.Observer]
	executed            *children[pair, prometheus.Observer]
	requests            *children[routeCode, httpChildren]
}

// New returns the metrics on a new registry, with the Go runtime and
// process collectors and a queue collector that calls queues at each
// scrape.
func New(queues func() []engine.QueueStat) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		wfStarted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_workflows_started_total",
			Help: "Workflow executions started, by workflow name. Conductor: workflow_start_success.",
		}, []string{"workflowName"}),
		wfFinished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_workflows_finished_total",
			Help: "Workflow executions that reached a terminal status, by workflow name and status. " +
				"Conductor: workflow_failure counts the statuses other than COMPLETED.",
		}, []string{"workflowName", "status"}),
		pollTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "baton_task_poll_duration_seconds",
			Help: "Time the server took to answer a task poll, long-poll wait included; result is task or empty. " +
				"The server's side of the workers' task_poll_time_seconds; the count is Conductor's task_poll.",
			Buckets: latencyBuckets,
		}, []string{"result"}),
		updateTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "baton_task_update_duration_seconds",
			Help: "Time the server took to apply a task result, by reported status (error: the update failed). " +
				"The server's side of the workers' task_update_time_seconds.",
			Buckets: latencyBuckets,
		}, []string{"status"}),
		taskExec: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "baton_task_execution_duration_seconds",
			Help:    "Task run time from start to end, by task type and terminal status. Conductor: task_execution.",
			Buckets: taskBuckets,
		}, []string{"taskType", "status"}),
		taskWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "baton_task_queue_wait_seconds",
			Help:    "Time a worker task waited from scheduled to its first poll, by task type. Conductor: task_queue_wait.",
			Buckets: taskBuckets,
		}, []string{"taskType"}),
		commitTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "baton_sqlite_commit_duration_seconds",
			Help:    "Time of one SQLite group commit, BEGIN to the end of COMMIT (fsync included).",
			Buckets: commitBuckets,
		}),
		commitBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "baton_sqlite_commit_batch_size",
			Help:    "Writes (request batches) that shared one SQLite group commit.",
			Buckets: batchBuckets,
		}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_http_requests_total",
			Help: "HTTP API requests by route (the ServeMux pattern, e.g. \"GET /api/workflow/{workflowId}\"; " +
				"unmatched for no route), status class (2xx..5xx) and code.",
		}, []string{"route", "class", "code"}),
		httpTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "baton_http_request_duration_seconds",
			Help:    "HTTP API request time by route (the ServeMux pattern; unmatched for no route).",
			Buckets: latencyBuckets,
		}, []string{"route"}),
	}
	m.pollTask = m.pollTime.WithLabelValues("task")
	m.pollEmpty = m.pollTime.WithLabelValues("empty")
	m.started = newChildren(func(name string) prometheus.Counter { return m.wfStarted.WithLabelValues(name) })
	m.finished = newChildren(func(k pair) prometheus.Counter { return m.wfFinished.WithLabelValues(k.a, k.b) })
	m.updated = newChildren(func(status string) prometheus.Observer { return m.updateTime.WithLabelValues(status) })
	m.waited = newChildren(func(tt string) prometheus.Observer { return m.taskWait.WithLabelValues(tt) })
	m.executed = newChildren(func(k pair) prometheus.Observer { return m.taskExec.WithLabelValues(k.a, k.b) })
	m.requests = newChildren(func(k routeCode) httpChildren {
		return httpChildren{
			count: m.httpRequests.WithLabelValues(k.route, statusClass(k.code), strconv.Itoa(k.code)),
			time:  m.httpTime.WithLabelValues(k.route),
		}
	})
	m.reg.MustRegister(m.wfStarted, m.wfFinished, m.pollTime, m.updateTime, m.taskExec, m.taskWait,
		m.commitTime, m.commitBatch, m.httpRequests, m.httpTime,
		newQueueCollector(queues),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Gatherer returns the registry, for tests and for embedding programs that
// serve or forward the metrics themselves.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler serves the registry in Prometheus' text (or OpenMetrics) format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var _ engine.Observer = (*Metrics)(nil)

// WorkflowStarted implements engine.Observer.
func (m *Metrics) WorkflowStarted(name string) { m.started.get(name).Inc() }

// WorkflowFinished implements engine.Observer.
func (m *Metrics) WorkflowFinished(name string, status model.WorkflowStatus) {
	m.finished.get(pair{name, string(status)}).Inc()
}

// TaskStarted implements engine.Observer.
func (m *Metrics) TaskStarted(taskType string, wait time.Duration) {
	m.waited.get(taskType).Observe(wait.Seconds())
}

// TaskFinished implements engine.Observer.
func (m *Metrics) TaskFinished(taskType string, status model.TaskStatus, run time.Duration) {
	m.executed.get(pair{taskType, string(status)}).Observe(run.Seconds())
}

// Polled implements engine.Observer.
func (m *Metrics) Polled(d time.Duration, tasks int) {
	if tasks > 0 {
		m.pollTask.Observe(d.Seconds())
		return
	}
	m.pollEmpty.Observe(d.Seconds())
}

// Updated implements engine.Observer.
func (m *Metrics) Updated(d time.Duration, status model.TaskResultStatus, failed bool) {
	label := string(status)
	if failed || label == "" {
		label = "error"
	}
	m.updated.get(label).Observe(d.Seconds())
}

// Commit is the SQLite writer's OnCommit hook.
func (m *Metrics) Commit(writes int, d time.Duration) {
	m.commitTime.Observe(d.Seconds())
	m.commitBatch.Observe(float64(writes))
}

// Request is the HTTP handler's Observe hook. pattern is a ServeMux
// pattern, never a raw path, so the routes are a fixed set.
func (m *Metrics) Request(pattern string, code int, d time.Duration) {
	if pattern == "" {
		pattern = "unmatched"
	}
	c := m.requests.get(routeCode{pattern, code})
	c.count.Inc()
	c.time.Observe(d.Seconds())
}

func statusClass(code int) string {
	switch {
	case code >= 100 && code < 600:
		return strconv.Itoa(code/100) + "xx"
	default:
		return "other"
	}
}
