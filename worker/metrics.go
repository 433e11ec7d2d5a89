package worker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/batonhq/baton/client"
)

// timeBuckets are the cross-SDK Conductor buckets (Java conductor-client-metrics,
// Python canonical metrics), in seconds.
var timeBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics holds the collectors of one Registerer. The names and labels are
// Conductor's canonical worker metrics (conductor-client-metrics/README.md);
// task_result_dropped_total, task_handed_back_total and
// task_lease_extend_total are Baton's own, as no other SDK has them.
type metrics struct {
	pollTotal, execStarted, queueFull, paused, handedBack, leaseExtended *prometheus.CounterVec
	pollErrors, execErrors, updateErrors, dropped, uncaught              *prometheus.CounterVec
	pollTime, execTime, updateTime                                       *prometheus.HistogramVec
	active                                                               *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	histogram := func(name, help string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: timeBuckets},
			[]string{"taskType", "status"})
	}
	m := &metrics{
		pollTotal:     counter("task_poll_total", "Poll requests sent.", "taskType"),
		execStarted:   counter("task_execution_started_total", "Tasks handed to the worker function.", "taskType"),
		queueFull:     counter("task_execution_queue_full_total", "Times polling stopped because every slot was busy.", "taskType"),
		paused:        counter("task_paused_total", "Times polling stopped because the worker was paused.", "taskType"),
		handedBack:    counter("task_handed_back_total", "Unfinished tasks handed back to the server at shutdown.", "taskType"),
		leaseExtended: counter("task_lease_extend_total", "Lease extensions the server acknowledged.", "taskType"),
		pollErrors:    counter("task_poll_error_total", "Failed poll requests.", "taskType", "exception"),
		execErrors:    counter("task_execute_error_total", "Tasks the worker function failed.", "taskType", "exception"),
		updateErrors:  counter("task_update_error_total", "Failed result updates (each attempt).", "taskType", "exception"),
		dropped:       counter("task_result_dropped_total", "Task results that never reached the server.", "taskType", "reason"),
		uncaught:      counter("thread_uncaught_exceptions_total", "Panics recovered from worker functions.", "exception"),
		pollTime:      histogram("task_poll_time_seconds", "Poll request latency."),
		execTime:      histogram("task_execute_time_seconds", "Worker function run time."),
		updateTime:    histogram("task_update_time_seconds", "Result update latency."),
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "active_workers",
			Help: "Tasks whose worker function is running."}, []string{"taskType"}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	for _, c := range []**prometheus.CounterVec{&m.pollTotal, &m.execStarted, &m.queueFull, &m.paused,
		&m.handedBack, &m.leaseExtended, &m.pollErrors, &m.execErrors, &m.updateErrors, &m.dropped, &m.uncaught} {
		if *c, err = register(reg, *c); err != nil {
			return nil, err
		}
	}
	for _, c := range []**prometheus.HistogramVec{&m.pollTime, &m.execTime, &m.updateTime} {
		if *c, err = register(reg, *c); err != nil {
			return nil, err
		}
	}
	if m.active, err = register(reg, m.active); err != nil {
		return nil, err
	}
	return m, nil
}

// register adds c to reg, or returns the collector already there, so hosts
// that share a registry share the series.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, fmt.Errorf("worker: register metrics: %w", err)
	}
	return c, nil
}

// sameRegisterer compares registerers without panicking on types that
// cannot be compared.
func sameRegisterer(a, b prometheus.Registerer) bool {
	ta := reflect.TypeOf(a)
	return ta == reflect.TypeOf(b) && ta != nil && ta.Comparable() && a == b
}

// taskMetrics are one worker's series, bound to its task type once so the
// hot path does no label lookups.
type taskMetrics struct {
	m                                         *metrics
	taskType                                  string
	pollTotal, execStarted, queueFull, paused prometheus.Counter
	handedBack, leaseExtended                 prometheus.Counter
	pollOK, pollFail, execOK, execFail        prometheus.Observer
	updateOK, updateFail                      prometheus.Observer
	active                                    prometheus.Gauge
}

func (m *metrics) forTask(taskType string) *taskMetrics {
	return &taskMetrics{
		m: m, taskType: taskType,
		pollTotal:     m.pollTotal.WithLabelValues(taskType),
		execStarted:   m.execStarted.WithLabelValues(taskType),
		queueFull:     m.queueFull.WithLabelValues(taskType),
		paused:        m.paused.WithLabelValues(taskType),
		handedBack:    m.handedBack.WithLabelValues(taskType),
		leaseExtended: m.leaseExtended.WithLabelValues(taskType),
		pollOK:        m.pollTime.WithLabelValues(taskType, "SUCCESS"),
		pollFail:      m.pollTime.WithLabelValues(taskType, "FAILURE"),
		execOK:        m.execTime.WithLabelValues(taskType, "SUCCESS"),
		execFail:      m.execTime.WithLabelValues(taskType, "FAILURE"),
		updateOK:      m.updateTime.WithLabelValues(taskType, "SUCCESS"),
		updateFail:    m.updateTime.WithLabelValues(taskType, "FAILURE"),
		active:        m.active.WithLabelValues(taskType),
	}
}

func (t *taskMetrics) pollError(err error) {
	t.m.pollErrors.WithLabelValues(t.taskType, errorKind(err)).Inc()
}
func (t *taskMetrics) updateError(err error) {
	t.m.updateErrors.WithLabelValues(t.taskType, errorKind(err)).Inc()
}
func (t *taskMetrics) execError(kind string) { t.m.execErrors.WithLabelValues(t.taskType, kind).Inc() }
func (t *taskMetrics) drop(reason string)    { t.m.dropped.WithLabelValues(t.taskType, reason).Inc() }
func (t *taskMetrics) uncaught(kind string)  { t.m.uncaught.WithLabelValues(kind).Inc() }

// errorKind names the class of a request error for the exception label: a
// short, bounded set, never the message.
func errorKind(err error) string {
	var ae *client.APIError
	var ne net.Error
	switch {
	case errors.As(err, &ae):
		switch {
		case ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden:
			return "unauthorized"
		case ae.StatusCode == http.StatusTooManyRequests:
			return "too_many_requests"
		case ae.StatusCode == http.StatusNotFound:
			return "not_found"
		case ae.StatusCode >= 500:
			return "server_error"
		}
		return "client_error"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "network"
}
