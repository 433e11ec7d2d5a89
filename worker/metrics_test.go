package worker

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestMetricsNamesLabelsAndKinds(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.fault = func(r faultReq) fault {
		if r.kind == "poll" && r.n == 1 {
			return fault{status: http.StatusInternalServerError}
		}
		return fault{}
	}
	fails := func(*model.WorkerTask) (any, error) { return nil, errors.New("no") }
	ids := env.fake.enqueue("t", "", 2, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: fails})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))

	mfs, err := env.reg.Gather()
	require.NoError(t, err)
	kinds := map[string]dto.MetricType{}
	for _, mf := range mfs {
		kinds[mf.GetName()] = mf.GetType()
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				require.Contains(t, []string{"taskType", "status", "exception", "reason"}, l.GetName())
			}
		}
	}
	want := map[string]dto.MetricType{
		"task_poll_total":              dto.MetricType_COUNTER,
		"task_poll_error_total":        dto.MetricType_COUNTER,
		"task_poll_time_seconds":       dto.MetricType_HISTOGRAM,
		"task_execution_started_total": dto.MetricType_COUNTER,
		"task_execute_time_seconds":    dto.MetricType_HISTOGRAM,
		"task_execute_error_total":     dto.MetricType_COUNTER,
		"task_update_time_seconds":     dto.MetricType_HISTOGRAM,
		"active_workers":               dto.MetricType_GAUGE,
	}
	for name, kind := range want {
		require.Contains(t, kinds, name)
		require.Equal(t, kind, kinds[name], name)
	}
	require.Equal(t, 2.0, env.counterValue(t, "task_execute_error_total", "taskType", "t", "exception", "error"))
	require.Equal(t, 1.0, env.counterValue(t, "task_poll_error_total", "taskType", "t", "exception", "server_error"))
	require.Zero(t, env.counterValue(t, "active_workers", "taskType", "t"))
}

func TestHostsSharingARegistryShareSeries(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	a := setup(t, func(c *HostConfig) { c.Registerer = reg })
	b := setup(t, func(c *HostConfig) { c.Registerer = reg })
	a.reg, b.reg = reg, reg
	ida := a.fake.enqueue("t", "", 1, nil)
	idb := b.fake.enqueue("t", "", 2, nil)
	a.start(t, WorkerConfig{TaskName: "t", Func: completed})
	b.start(t, WorkerConfig{TaskName: "t", Func: completed})
	a.fake.waitFor(func() bool { return a.fake.allDoneLocked(ida) })
	b.fake.waitFor(func() bool { return b.fake.allDoneLocked(idb) })
	require.NoError(t, a.shutdown(t, 5*time.Second))
	require.NoError(t, b.shutdown(t, 5*time.Second))
	require.Equal(t, 3.0, a.counterValue(t, "task_execution_started_total", "taskType", "t"))
}

func TestWorkerOwnRegisterer(t *testing.T) {
	t.Parallel()
	env := setup(t)
	own := prometheus.NewRegistry()
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, MetricsRegisterer: own})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))
	hostMetrics, err := env.reg.Gather()
	require.NoError(t, err)
	require.Empty(t, hostMetrics, "the worker's metrics go to its own registerer only")
	ownMetrics, err := own.Gather()
	require.NoError(t, err)
	require.NotEmpty(t, ownMetrics)
}

func TestConflictingRegistrationIsAnError(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "task_poll_total", Help: "taken"}))
	env := setup(t, func(c *HostConfig) { c.Registerer = reg })
	err := env.host.StartWorker("t", completed, 1, time.Second)
	require.ErrorContains(t, err, "register metrics")
}
